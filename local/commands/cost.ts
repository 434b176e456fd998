/** `clickstream cost`: the modelled monthly cost of a deployment, beside the per-event design, for sizing. */
import { DEFAULT_RATES, DEPLOYED_SETTINGS, perEventCost, pipelineCost } from '../cost/cost-model';
import type { ArchiveStorageClass } from '../../stacks/config';
import { PRICES } from '../cost/prices';
import { table } from '../runtime/report';

export function costReport(
  eventsPerMonth: number,
  avgEventBytes?: number,
  storageClass: ArchiveStorageClass = DEPLOYED_SETTINGS.archiveStorageClass,
): string {
  const rates = avgEventBytes ? { ...DEFAULT_RATES, eventBytes: avgEventBytes } : DEFAULT_RATES;
  const settings = { ...DEPLOYED_SETTINGS, archiveStorageClass: storageClass };
  const ours = pipelineCost(eventsPerMonth, rates, settings);
  const theirs = perEventCost(eventsPerMonth, rates, settings);
  const money = (n: number) => `$${n.toFixed(2)}`;
  return [
    `Monthly cost at ${eventsPerMonth.toLocaleString('en-US')} events of ${rates.eventBytes} bytes (${PRICES.region} list prices read ${PRICES.readOn}; local/cost/prices.ts)`,
    `Stream: ${ours.shards} provisioned shard(s), sized for three times the average rate. Archive: ${storageClass} after ${settings.transitionDays} days, ${settings.archiveMonthsKept} months kept.`,
    '',
    table(
      ['this pipeline', 'USD/month'],
      ours.lines.map((l) => [l.item, money(l.usd)]),
    ),
    `  total ${money(ours.total)}`,
    '',
    table(
      ['per-event design (read, 2 writes, S3 PUT per event)', 'USD/month'],
      theirs.lines.map((l) => [l.item, money(l.usd)]),
    ),
    `  total ${money(theirs.total)}   (this pipeline: ${(ours.total / theirs.total).toFixed(2)} of it)`,
  ].join('\n');
}
