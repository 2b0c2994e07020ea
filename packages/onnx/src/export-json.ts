import { decodeUtf8, Utf8DecodeError } from '@seqloom/core';
import { OnnxModelError } from './errors.js';
import type { ExportReader } from './export-files.js';

/** The most bytes a JSON file of an export folder may have. */
export const MAX_JSON_BYTES = 64 << 20;

/**
 * A JSON object file of an export folder (strict UTF-8, at most
 * MAX_JSON_BYTES). A missing file is an OnnxModelError saying `whenMissing`,
 * or `{}` when `whenMissing` is null (an optional file).
 */
export async function readJsonObject(reader: ExportReader, name: string, whenMissing: string | null): Promise<Record<string, unknown>> {
  const where = `${reader.where}/${name}`;
  const bytes = await reader.read(name, MAX_JSON_BYTES);
  if (bytes === null) {
    if (whenMissing !== null) throw new OnnxModelError(`${where} is missing; ${whenMissing}`);
    return {};
  }
  let value: unknown;
  try {
    value = JSON.parse(decodeUtf8(bytes, where));
  } catch (error) {
    throw new OnnxModelError(`${where} is not valid UTF-8 JSON: ${error instanceof Utf8DecodeError ? error.detail : (error as Error).message}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new OnnxModelError(`${where}: expected a JSON object`);
  return value as Record<string, unknown>;
}
