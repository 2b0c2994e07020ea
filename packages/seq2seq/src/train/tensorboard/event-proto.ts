import { ProtobufWriter } from './protobuf-writer.js';

// Field numbers of tensorboard/compat/proto/{event,summary,tensor,tensor_shape,types}.proto.
const EVENT = { wallTime: 1, step: 2, fileVersion: 3, summary: 5, sessionLog: 7 } as const;
const SESSION_LOG = { status: 1, start: 1 } as const;
const SUMMARY = { value: 1 } as const;
const VALUE = { tag: 1, simpleValue: 2, tensor: 8, metadata: 9 } as const;
const METADATA = { pluginData: 1 } as const;
const PLUGIN_DATA = { pluginName: 1 } as const;
const TENSOR = { dtype: 1, tensorShape: 2, stringVal: 8, dtString: 7 } as const;

/** The `file_version` of the first event of a file: events with SessionLog-based restart handling. */
export const EVENT_FILE_VERSION = 'brain.Event:2';

/** One value of a summary: a scalar (shown by the scalars dashboard) or markdown text (the text dashboard). */
export type SummaryValue = { tag: string; scalar: number } | { tag: string; text: string };

/** What an event carries (`Event.what`). */
export type EventContent =
  | { fileVersion: string }
  | { summary: readonly SummaryValue[] }
  /** `SessionLog.START`: readers drop the events of earlier files at this step and later (a restart). */
  | { sessionStart: true };

/** One `tensorboard.Event`. */
export interface TensorBoardEvent {
  /** Seconds since the Unix epoch. */
  wallTime: number;
  step: number;
  content: EventContent;
}

/** A scalar string tensor with the text plugin's metadata (what TensorBoard's `text_pb` writes). */
function textValue(w: ProtobufWriter, text: string): void {
  const shape = new ProtobufWriter().finish(); // rank 0: a TensorShapeProto without dims
  const tensor = new ProtobufWriter().varint(TENSOR.dtype, TENSOR.dtString).bytes(TENSOR.tensorShape, shape).string(TENSOR.stringVal, text);
  w.bytes(VALUE.tensor, tensor.finish());
  const pluginData = new ProtobufWriter().string(PLUGIN_DATA.pluginName, 'text');
  w.bytes(VALUE.metadata, new ProtobufWriter().bytes(METADATA.pluginData, pluginData.finish()).finish());
}

function encodeSummary(values: readonly SummaryValue[]): Uint8Array {
  const summary = new ProtobufWriter();
  for (const value of values) {
    const w = new ProtobufWriter().string(VALUE.tag, value.tag);
    if ('scalar' in value)
      w.float(VALUE.simpleValue, value.scalar); // a oneof member: written even when 0
    else textValue(w, value.text);
    summary.bytes(SUMMARY.value, w.finish());
  }
  return summary.finish();
}

/**
 * The protobuf encoding of an event, fields in number order and proto3
 * defaults (a zero time or step) left out, as protobuf itself writes them.
 */
export function encodeEvent(event: TensorBoardEvent): Uint8Array {
  const w = new ProtobufWriter();
  if (event.wallTime !== 0) w.double(EVENT.wallTime, event.wallTime);
  if (event.step !== 0) w.varint(EVENT.step, event.step);
  const { content } = event;
  if ('fileVersion' in content) w.string(EVENT.fileVersion, content.fileVersion);
  else if ('summary' in content) w.bytes(EVENT.summary, encodeSummary(content.summary));
  else w.bytes(EVENT.sessionLog, new ProtobufWriter().varint(SESSION_LOG.status, SESSION_LOG.start).finish());
  return w.finish();
}
