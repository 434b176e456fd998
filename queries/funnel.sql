-- Funnel within sessions: of the sessions with a page view, how many went on to a form submission, and of
-- those how many converted after it (the session-processor's session rule, bots excluded).
WITH events_once AS (
  SELECT *
  FROM (SELECT e.*, row_number() OVER (PARTITION BY event_id ORDER BY received_at) AS copy_number FROM ${events} e WHERE e.dt BETWEEN CAST(? AS DATE) AND CAST(? AS DATE))
  WHERE copy_number = 1
),
marked AS (
  SELECT *,
         CASE WHEN date_diff('millisecond', lag(event_time) OVER (PARTITION BY user_id ORDER BY event_time, event_id), event_time) <= ${sessionTimeoutMs}
              THEN 0 ELSE 1 END AS starts_session
  FROM events_once
  WHERE NOT is_bot
),
numbered AS (
  SELECT *, sum(starts_session) OVER (PARTITION BY user_id ORDER BY event_time, event_id ROWS UNBOUNDED PRECEDING) AS session_number
  FROM marked
),
steps AS (
  SELECT user_id, session_number,
         min(CASE WHEN event_type = 'page_view' THEN event_time END) AS first_view,
         min(CASE WHEN event_type = 'form_submit' THEN event_time END) AS first_form,
         max(CASE WHEN event_type = 'conversion' THEN event_time END) AS last_conversion
  FROM numbered
  GROUP BY 1, 2
)
SELECT count(first_view) AS sessions_with_page_view,
       count(CASE WHEN first_form >= first_view THEN 1 END) AS then_form_submit,
       count(CASE WHEN first_form >= first_view AND last_conversion >= first_form THEN 1 END) AS then_conversion
FROM steps
