/**
 * @file A strict multipart/form-data parser over an already bounded body.
 * Parts are zero-copy views into the body, found with Buffer#indexOf (native
 * search): on the API's hot path this costs microseconds where a streaming
 * JavaScript parser costs a good part of a millisecond of event-loop time
 * per request. Anything that is not well-formed throws MultipartError.
 */
export class MultipartError extends Error {
  override name = 'MultipartError';
}

/** The body has more parts than the caller accepts (found before they are all collected). */
export class TooManyPartsError extends MultipartError {
  override name = 'TooManyPartsError';
  constructor(readonly maxParts: number) {
    super(`the body has more than ${maxParts} parts`);
  }
}

export interface MultipartPart {
  name: string;
  /** Present for file parts (even when empty). */
  filename: string | null;
  contentType: string | null;
  data: Buffer;
}

const CRLF = Buffer.from('\r\n');
const HEADER_END = Buffer.from('\r\n\r\n');
const MAX_HEADER_BYTES = 8 * 1024;

/** The boundary parameter of a multipart/form-data Content-Type. */
export function multipartBoundary(contentType: string): string {
  const match = /;\s*boundary=(?:"([^"]{1,70})"|([^\s;]{1,70}))/i.exec(contentType);
  const boundary = match?.[1] ?? match?.[2];
  if (!boundary) throw new MultipartError('the Content-Type has no multipart boundary');
  return boundary;
}

function dispositionParam(header: string, name: string): string | null {
  const match = new RegExp(`;\\s*${name}="([^"]*)"`, 'i').exec(header) ?? new RegExp(`;\\s*${name}=([^;\\s]+)`, 'i').exec(header);
  return match ? match[1]! : null;
}

/**
 * `maxParts`: the most parts the caller accepts. A body of millions of empty
 * parts would otherwise become millions of objects (gigabytes, and seconds
 * of the event loop) before anyone counts them.
 */
export function parseMultipart(body: Uint8Array, boundary: string, maxParts = Number.POSITIVE_INFINITY): MultipartPart[] {
  const buffer = Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  const delimiter = Buffer.from(`--${boundary}`);
  const nextDelimiter = Buffer.from(`\r\n--${boundary}`);
  let position = buffer.indexOf(delimiter);
  if (position === -1) throw new MultipartError('the body does not contain the boundary');
  position += delimiter.length;
  const parts: MultipartPart[] = [];
  for (;;) {
    // After a delimiter: "--" closes the body, CRLF starts a part.
    if (buffer[position] === 0x2d && buffer[position + 1] === 0x2d) return parts;
    // subarray, not compare(…, position + 2): compare throws a RangeError past the end of a truncated body.
    if (!buffer.subarray(position, position + 2).equals(CRLF)) throw new MultipartError('a boundary is not followed by CRLF');
    if (parts.length === maxParts) throw new TooManyPartsError(maxParts);
    position += 2;
    const headerEnd = buffer.indexOf(HEADER_END, position);
    if (headerEnd === -1 || headerEnd - position > MAX_HEADER_BYTES) throw new MultipartError('a part has no end of headers');
    let disposition: string | null = null;
    let contentType: string | null = null;
    for (const line of buffer.toString('latin1', position, headerEnd).split('\r\n')) {
      const colon = line.indexOf(':');
      if (colon <= 0) throw new MultipartError('a part header is malformed');
      const key = line.slice(0, colon).trim().toLowerCase();
      const value = line.slice(colon + 1).trim();
      if (key === 'content-disposition') disposition = value;
      else if (key === 'content-type') contentType = value;
    }
    if (!disposition || !/^form-data\s*(;|$)/i.test(disposition)) throw new MultipartError('a part is not form-data');
    const name = dispositionParam(disposition, 'name');
    if (name === null) throw new MultipartError('a part has no name');
    const dataStart = headerEnd + HEADER_END.length;
    const dataEnd = buffer.indexOf(nextDelimiter, dataStart);
    if (dataEnd === -1) throw new MultipartError('a part is not terminated by the boundary');
    parts.push({ name, filename: dispositionParam(disposition, 'filename'), contentType, data: buffer.subarray(dataStart, dataEnd) });
    position = dataEnd + nextDelimiter.length;
  }
}
