/**
 * The closed set of bot categories, the values of the archive's bot_category (declared once): the classifier
 * returns them, and the list generator maps the list's tags onto them.
 */
export const BOT_CATEGORIES = [
  /** A user's request fetched by an AI assistant (ChatGPT-User, Claude-User, Perplexity-User). */
  'ai_assistant',
  /** AI training and AI search crawlers (GPTBot, ClaudeBot, OAI-SearchBot, PerplexityBot, CCBot). */
  'ai_crawler',
  'search_crawler',
  /** Link previews in social and chat apps (facebookexternalhit, Twitterbot, Slackbot). */
  'social_preview',
  /** Uptime checks and synthetic tests (UptimeRobot, Pingdom, StatusCake, Datadog). */
  'monitoring',
  'feed_reader',
  'archiver',
  'seo',
  'advertising',
  'scanner',
  /** Headless browsers and automation frameworks (HeadlessChrome, PhantomJS, Selenium). */
  'browser_automation',
  /** Scripts and command-line clients (curl, Wget, python-requests, Go-http-client, axios). */
  'http_library',
  /** A bot by isbot's rules, not on the named list; and the list's academic crawlers. */
  'other',
  /** No user agent at all: every browser sends one, so a hit without one is a script or a server. */
  'no_user_agent',
] as const;
export type BotCategory = (typeof BOT_CATEGORIES)[number];
