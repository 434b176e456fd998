-- De-duplication by event_id: delivery is at least once, so a record can be archived more than once (a
-- producer retry, a Firehose retry). This lists each event once, keeping its first arrival, with the number
-- of copies archived; use its WITH clause as the base of any count.
SELECT *
FROM (
  SELECT e.*,
         row_number() OVER (PARTITION BY event_id ORDER BY received_at) AS copy_number,
         count(*) OVER (PARTITION BY event_id) AS copies
  FROM ${events} e
  WHERE e.dt BETWEEN CAST(? AS DATE) AND CAST(? AS DATE)
)
WHERE copy_number = 1
ORDER BY event_time, event_id
