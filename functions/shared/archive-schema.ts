/**
 * The archive's columns, declared once. This list types the transform's output rows, becomes the Glue
 * table's columns and the Athena DDL, and gives the local runtime and the tests their column list.
 */
import { BOT_CATEGORIES } from './bot-categories';

/** Glue/Hive column types used by the archive. */
export type ColumnType = 'string' | 'timestamp' | 'boolean' | 'double' | 'bigint';

/** The DuckDB type of each column type: the local runtime's view and Parquet writer. */
export const DUCKDB_TYPES: Readonly<Record<ColumnType, string>> = {
  string: 'VARCHAR',
  timestamp: 'TIMESTAMP',
  boolean: 'BOOLEAN',
  double: 'DOUBLE',
  bigint: 'BIGINT',
};

export interface ArchiveColumn {
  readonly name: string;
  readonly type: ColumnType;
  readonly comment: string;
}

/**
 * Row columns, in output order. Timestamps are UTC text `yyyy-MM-dd HH:mm:ss.SSS`, the form that Athena's
 * JSON SerDe, Firehose's Parquet conversion and DuckDB all read as a timestamp. Absent values are null.
 */
export const ARCHIVE_COLUMNS = [
  {
    name: 'event_id',
    type: 'string',
    comment:
      'Fingerprint (SHA-256, 128 bits, hex) of the user id (as stored) and the producer event id, else of the payload (keyed with userIdMode hash); equal for retries and redeliveries',
  },
  {
    name: 'event_time',
    type: 'timestamp',
    comment: "Event time, UTC: the producer's timestamp, or with sentAt and receivedAt, receivedAt - (sentAt - timestamp)",
  },
  { name: 'received_at', type: 'timestamp', comment: 'When Kinesis accepted the record (approximateArrivalTimestamp), UTC' },
  { name: 'device_time', type: 'timestamp', comment: "The producer's own timestamp, UTC, before any clock-skew correction" },
  {
    name: 'user_id',
    type: 'string',
    comment: 'The producer user id; with userIdMode hash, its HMAC-SHA-256 (64 hex digits) under the key in Secrets Manager',
  },
  { name: 'client_session_id', type: 'string', comment: 'The client session id, when the producer sent one' },
  { name: 'event_name', type: 'string', comment: 'Event name; the event type when the producer sent none' },
  { name: 'event_type', type: 'string', comment: 'page_view, click, conversion, form_submit, video_play or scroll' },
  { name: 'page_url', type: 'string', comment: 'The URL as sent' },
  { name: 'page_host', type: 'string', comment: 'Host of the URL, lower case' },
  { name: 'page_path', type: 'string', comment: 'Path of the URL without query or fragment (at most 256 chars)' },
  { name: 'page_query', type: 'string', comment: 'Query string of the URL without the leading ?' },
  { name: 'utm_source', type: 'string', comment: 'utm_source query parameter' },
  { name: 'utm_medium', type: 'string', comment: 'utm_medium query parameter' },
  { name: 'utm_campaign', type: 'string', comment: 'utm_campaign query parameter' },
  { name: 'utm_term', type: 'string', comment: 'utm_term query parameter' },
  { name: 'utm_content', type: 'string', comment: 'utm_content query parameter' },
  {
    name: 'click_id',
    type: 'string',
    comment: 'The landing URL ad click id as sent (gclid, gbraid, wbraid, dclid, msclkid, fbclid, ttclid, …; the first present)',
  },
  {
    name: 'click_network',
    type: 'string',
    comment:
      'Network of click_id: google_ads, google_marketing_platform, microsoft_ads, meta, tiktok, linkedin, x, pinterest, snapchat, reddit, yandex, yahoo_japan or impact',
  },
  { name: 'referrer', type: 'string', comment: 'The referrer as sent' },
  { name: 'referrer_host', type: 'string', comment: 'Host of the referrer, lower case' },
  {
    name: 'traffic_channel',
    type: 'string',
    comment:
      "GA4's default channel group, one of its 19 channels in snake_case (direct, paid_search, organic_search, organic_social, referral, email, affiliates, …); unassigned when no rule matches",
  },
  {
    name: 'traffic_source',
    type: 'string',
    comment:
      "GA4's session source, lower case: google for a Google Ads click id, else utm_source, else the referrer's (a search engine's name or the host without www.), else (direct)",
  },
  {
    name: 'traffic_medium',
    type: 'string',
    comment:
      "GA4's session medium, lower case: cpc for a Google Ads click id, else utm_medium, organic or referral from the referrer, (none) or (not set)",
  },
  {
    name: 'traffic_campaign',
    type: 'string',
    comment: "GA4's session campaign, lower case: utm_campaign, else (organic), (referral), (direct) or (not set)",
  },
  {
    name: 'traffic_internal',
    type: 'boolean',
    comment: 'The referrer was this site (the page host or INTERNAL_HOSTS): counted as no referrer, as GA4 drops unwanted referrals',
  },
  { name: 'ua_browser', type: 'string', comment: 'Browser name (ua-parser-js)' },
  { name: 'ua_browser_version', type: 'string', comment: 'Browser version' },
  { name: 'ua_os', type: 'string', comment: 'Operating system name' },
  { name: 'ua_os_version', type: 'string', comment: 'Operating system version' },
  { name: 'ua_device_type', type: 'string', comment: 'desktop, mobile, tablet, smarttv, wearable, console, embedded or bot' },
  { name: 'ua_device_vendor', type: 'string', comment: 'Device vendor' },
  { name: 'ua_device_model', type: 'string', comment: 'Device model' },
  {
    name: 'is_bot',
    type: 'boolean',
    comment:
      "A bot by its user agent (isbot's rules), or no user agent at all; never the site's own apps (OWN_APP_USER_AGENTS) nor okhttp, Dalvik or CFNetwork",
  },
  {
    name: 'bot_name',
    type: 'string',
    comment: 'The bot as its user agent names it (Googlebot, GPTBot, curl); null when not a bot or unnamed',
  },
  {
    name: 'bot_category',
    type: 'string',
    comment: `The kind of bot: ${BOT_CATEGORIES.join(', ')}; null when not a bot`,
  },
  { name: 'ip', type: 'string', comment: 'Client address, anonymised by default (IPv4 /24, IPv6 /48); null when absent or not an address' },
  {
    name: 'geo_country',
    type: 'string',
    comment:
      'Country of the full client address, ISO 3166-1 alpha-2 (DB-IP IP to Country Lite, CC BY 4.0); null when absent, omitted (IP_MODE omit) or unknown',
  },
  {
    name: 'geo_asn',
    type: 'bigint',
    comment:
      'Autonomous system announcing the full client address (Route Views, the RIRs through the NRO, DB-IP; CC BY 4.0); null as geo_country',
  },
  { name: 'geo_as_org', type: 'string', comment: 'Organisation of geo_asn, as the data names it' },
  { name: 'revenue', type: 'double', comment: 'properties.revenue of a conversion, when a number' },
  { name: 'properties', type: 'string', comment: 'The properties object as JSON text' },
] as const satisfies readonly ArchiveColumn[];

/** Partition columns: from event time, UTC; Firehose takes their values from the transform's partition keys. */
export const PARTITION_COLUMNS = [
  { name: 'dt', type: 'date', comment: 'Event date, yyyy-MM-dd, UTC' },
  { name: 'hour', type: 'int', comment: 'Event hour, 00-23, UTC' },
] as const;

type ValueOf<T extends ColumnType> = T extends 'timestamp'
  ? string
  : T extends 'boolean'
    ? boolean
    : T extends 'double' | 'bigint'
      ? number | null
      : string | null;

/** One archive row, typed from {@link ARCHIVE_COLUMNS}. */
export type ArchiveRow = { -readonly [C in (typeof ARCHIVE_COLUMNS)[number] as C['name']]: ValueOf<C['type']> };

/** Columns in the shape of the Glue table's `storageDescriptor.columns`. */
export function glueColumns(): Array<{ name: string; type: string; comment: string }> {
  return ARCHIVE_COLUMNS.map((c) => ({ name: c.name, type: c.type, comment: c.comment }));
}

/** Partition keys in the shape of the Glue table's `partitionKeys`. */
export function gluePartitionKeys(): Array<{ name: string; type: string; comment: string }> {
  return PARTITION_COLUMNS.map((c) => ({ name: c.name, type: c.type, comment: c.comment }));
}

/** Table properties for partition projection: no crawler, no MSCK REPAIR. */
export function projectionProperties(location: string, firstDate = '2025-01-01'): Record<string, string> {
  return {
    'projection.enabled': 'true',
    'projection.dt.type': 'date',
    'projection.dt.format': 'yyyy-MM-dd',
    'projection.dt.range': `${firstDate},NOW`,
    'projection.dt.interval': '1',
    'projection.dt.interval.unit': 'DAYS',
    'projection.hour.type': 'integer',
    'projection.hour.range': '0,23',
    'projection.hour.digits': '2',
    'storage.location.template': `${location.replace(/\/$/, '')}/dt=\${dt}/hour=\${hour}/`,
  };
}

/**
 * The text form of the archive's timestamps, for each reader: Joda-Time pattern (Firehose's Parquet
 * conversion and the Hive JSON SerDe's `timestamp.formats`) and strftime (DuckDB's `timestampformat`).
 */
export const ARCHIVE_TIMESTAMP_FORMAT = { joda: 'yyyy-MM-dd HH:mm:ss.SSS', strftime: '%Y-%m-%d %H:%M:%S.%g' } as const;

/**
 * How Athena reads the JSON archive: the Hive JSON SerDe, which the Athena guide recommends over the OpenX
 * SerDe, whose page warns that its results can be non-deterministic ("Hive JSON SerDe",
 * https://docs.aws.amazon.com/athena/latest/ug/hive-json-serde.html; "OpenX JSON SerDe",
 * https://docs.aws.amazon.com/athena/latest/ug/openx-json-serde.html). Used by the Glue table.
 */
export const ARCHIVE_JSON_STORAGE = {
  inputFormat: 'org.apache.hadoop.mapred.TextInputFormat',
  outputFormat: 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat',
  serde: 'org.apache.hive.hcatalog.data.JsonSerDe',
  serdeParameters: { 'timestamp.formats': ARCHIVE_TIMESTAMP_FORMAT.joda },
  tableParameters: { classification: 'json', compressionType: 'gzip' },
} as const;

/**
 * The table property without which Athena skips objects in S3 Glacier Flexible Retrieval and Deep Archive
 * (even restored ones): "Query restored Amazon S3 Glacier objects",
 * https://docs.aws.amazon.com/athena/latest/ug/querying-glacier.html (engine 3, Hive tables).
 */
export function glacierTableProperties(readRestoredObjects: boolean): Record<string, string> {
  return readRestoredObjects ? { read_restored_glacier_objects: 'true' } : {};
}
