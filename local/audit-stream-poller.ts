import { DescribeTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type _Record as StreamRecord,
} from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';

/**
 * Local mode's event source mapping: reads the table's stream on DynamoDB Local (which serves the
 * DynamoDB Streams API on its own endpoint) and hands each batch of records to the publisher's
 * handler, as Lambda does in AWS. It does not filter (the handler skips what is not an audit INSERT),
 * starts at the stream's end (events of earlier runs were shown then), and retries the records the
 * handler reports failed on the next polls, a few times, then says it gave up (AWS: the DLQ).
 *
 * It polls every `intervalMs` while records come, and backs off (doubling, up to `idleIntervalMs`)
 * while none do: each GetRecords costs DynamoDB Local's JVM milliseconds of CPU, so polling four times
 * a second kept an idle `npm start` at about a tenth of a core. The gateway `nudge`s it after every
 * management call (the only writer of audit items here), which brings the next poll back to
 * `intervalMs`, so an event still shows a fraction of a second after its change.
 */

/** What the poller feeds: the publisher Lambda's handler. */
export type StreamHandler = (event: DynamoDBStreamEvent) => Promise<DynamoDBBatchResponse>;

export interface AuditStreamPollerOptions {
  dynamo: DynamoDBClient;
  endpoint: string;
  tableName: string;
  handler: StreamHandler;
  log: (line: string) => void;
  /** Between polls while records come (and after a nudge). Default 250 ms. */
  intervalMs?: number;
  /** The longest wait between polls when none come. Default 2,000 ms. */
  idleIntervalMs?: number;
  /** Told after each poll how long the poller now waits before the next one. */
  onPolled?: (nextDelayMs: number) => void;
}

/** The running poller: `nudge` when records may have been written; `stop` waits for the current poll. */
export interface AuditStreamPoller {
  nudge(): void;
  stop(): Promise<void>;
}

/** The wait before the next poll: `intervalMs` after one that read records, else twice the last wait, at most `idleIntervalMs`. */
export function nextPollDelay(
  lastDelayMs: number,
  readRecords: boolean,
  intervals: { intervalMs: number; idleIntervalMs: number },
): number {
  if (readRecords) return intervals.intervalMs;
  return Math.min(Math.max(lastDelayMs, intervals.intervalMs) * 2, intervals.idleIntervalMs);
}

const MAX_ATTEMPTS = 5;
/** Shards are looked up again this often (DynamoDB rolls a stream's shards over from time to time). */
const RESCAN_EVERY_POLLS = 40;

/** Starts polling; resolves once every open shard has its iterator. */
export async function startAuditStreamPoller(options: AuditStreamPollerOptions): Promise<AuditStreamPoller> {
  const intervals = {
    intervalMs: options.intervalMs ?? 250,
    idleIntervalMs: options.idleIntervalMs ?? 2_000,
  };
  const streams = new DynamoDBStreamsClient({
    endpoint: options.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  const { Table } = await options.dynamo.send(new DescribeTableCommand({ TableName: options.tableName }));
  const streamArn = Table?.LatestStreamArn;
  if (!streamArn) throw new Error(`table ${options.tableName} has no stream`);

  const iterators = new Map<string, string>();
  const seen = new Set<string>();
  const retry: Array<{ record: DynamoDBRecord; attempts: number }> = [];

  const scan = async (position: 'LATEST' | 'TRIM_HORIZON') => {
    const { StreamDescription } = await streams.send(new DescribeStreamCommand({ StreamArn: streamArn }));
    for (const shard of StreamDescription?.Shards ?? []) {
      const shardId = shard.ShardId as string;
      if (seen.has(shardId)) continue;
      seen.add(shardId);
      // Closed shards seen at start were read by the run that saw them open.
      if (position === 'LATEST' && shard.SequenceNumberRange?.EndingSequenceNumber) continue;
      const { ShardIterator } = await streams.send(
        new GetShardIteratorCommand({ StreamArn: streamArn, ShardId: shardId, ShardIteratorType: position }),
      );
      if (ShardIterator) iterators.set(shardId, ShardIterator);
    }
  };
  await scan('LATEST');

  const deliver = async (records: DynamoDBRecord[], attempts: number) => {
    if (records.length === 0) return;
    let failedIds: Set<string>;
    try {
      const response = await options.handler({ Records: records });
      failedIds = new Set(response.batchItemFailures.map((failure) => failure.itemIdentifier));
    } catch (error) {
      options.log(`publishing failed: ${String(error)}`);
      failedIds = new Set(records.map((record) => record.dynamodb?.SequenceNumber ?? ''));
    }
    for (const record of records) {
      if (!failedIds.has(record.dynamodb?.SequenceNumber ?? '')) continue;
      if (attempts >= MAX_ATTEMPTS) {
        options.log(`gave up on stream record ${record.dynamodb?.SequenceNumber} after ${attempts} attempts`);
      } else retry.push({ record, attempts: attempts + 1 });
    }
  };

  let polls = 0;
  /** Whether the poll read any record (or has some to retry): then the next one comes soon. */
  const poll = async (): Promise<boolean> => {
    polls += 1;
    const again = retry.splice(0);
    for (const { record, attempts } of again) await deliver([record], attempts);
    let read = again.length > 0;
    let closed = false;
    for (const [shardId, iterator] of [...iterators]) {
      const output = await streams.send(new GetRecordsCommand({ ShardIterator: iterator }));
      if (output.NextShardIterator) iterators.set(shardId, output.NextShardIterator);
      else {
        iterators.delete(shardId);
        closed = true;
      }
      const records = (output.Records ?? []).map(lambdaRecord);
      if (records.length > 0) read = true;
      await deliver(records, 1);
    }
    // A closed shard's children are new shards: read them from their start.
    if (closed || polls % RESCAN_EVERY_POLLS === 0) await scan('TRIM_HORIZON');
    return read || retry.length > 0;
  };

  let stopped = false;
  let current: Promise<void> | undefined;
  let timer: NodeJS.Timeout | undefined;
  let due = 0;
  let delay = intervals.intervalMs;
  /** A nudge during a poll: that poll may have read just before the write, so the next one comes soon. */
  let nudged = false;
  const arm = (ms: number) => {
    due = Date.now() + ms;
    timer = setTimeout(() => {
      timer = undefined;
      nudged = false;
      current = poll()
        .then(
          (read) => {
            delay = nextPollDelay(delay, read, intervals);
          },
          (error: unknown) => options.log(`stream poll failed: ${String(error)}`),
        )
        .finally(() => {
          current = undefined;
          if (nudged) delay = intervals.intervalMs;
          if (stopped) return;
          arm(delay);
          options.onPolled?.(delay);
        });
    }, ms);
  };
  arm(delay);
  return {
    nudge() {
      delay = intervals.intervalMs;
      if (current) nudged = true;
      else if (timer && due - Date.now() > intervals.intervalMs) {
        clearTimeout(timer);
        arm(intervals.intervalMs);
      }
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await current;
      streams.destroy();
    },
  };
}

type StreamImage = NonNullable<NonNullable<DynamoDBRecord['dynamodb']>['NewImage']>;
type StreamValue = StreamImage[string];

/**
 * DynamoDB Local's stream writes an empty map attribute as `{}` instead of `{"M":{}}` (an item's own
 * reads give `{"M":{}}`), which no reader can decode: a deletion's audit record, whose `changes` are
 * empty, then never became its event. The only attribute value without a type is that empty map, so
 * it is restored here, at any depth, before the record reaches the handler as AWS would hand it.
 */
function restoredValue(value: StreamValue): StreamValue {
  if (Object.keys(value).length === 0) return { M: {} };
  if (value.M !== undefined) return { M: restoredImage(value.M) };
  if (value.L !== undefined) return { L: value.L.map(restoredValue) };
  return value;
}

function restoredImage(image: StreamImage): StreamImage;
function restoredImage(image: StreamImage | undefined): StreamImage | undefined;
function restoredImage(image: StreamImage | undefined): StreamImage | undefined {
  if (image === undefined) return undefined;
  return Object.fromEntries(Object.entries(image).map(([name, value]) => [name, restoredValue(value)]));
}

/** A DynamoDB Streams API record as Lambda's event source mapping hands it to a function. */
export function lambdaRecord(record: StreamRecord): DynamoDBRecord {
  const data = record.dynamodb;
  return {
    eventID: record.eventID,
    eventName: record.eventName as DynamoDBRecord['eventName'],
    eventVersion: record.eventVersion,
    eventSource: 'aws:dynamodb',
    awsRegion: record.awsRegion,
    dynamodb: {
      ...(data?.ApproximateCreationDateTime
        ? { ApproximateCreationDateTime: data.ApproximateCreationDateTime.getTime() / 1000 }
        : {}),
      Keys: data?.Keys as NonNullable<DynamoDBRecord['dynamodb']>['Keys'],
      NewImage: restoredImage(data?.NewImage as StreamImage | undefined),
      SequenceNumber: data?.SequenceNumber,
      SizeBytes: data?.SizeBytes,
      StreamViewType: data?.StreamViewType as NonNullable<DynamoDBRecord['dynamodb']>['StreamViewType'],
    },
  };
}
