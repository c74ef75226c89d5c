import { MultipartError, multipartBoundary, parseMultipart } from '~/lib/serving/multipart';

/** Encodes a FormData the way fetch (undici) sends it. */
async function encode(form: FormData): Promise<{ body: Uint8Array; contentType: string }> {
  const response = new Response(form);
  return { body: new Uint8Array(await response.arrayBuffer()), contentType: response.headers.get('content-type')! };
}

describe('parseMultipart', () => {
  it('reads files and text fields exactly as fetch encodes them, bytes intact', async () => {
    const binary = Uint8Array.from({ length: 5000 }, (_, i) => (i * 7) % 256);
    // Bytes that look like line breaks and dashes inside the file must survive.
    binary.set(Buffer.from('\r\n--\r\n\r\n'), 100);
    const form = new FormData();
    form.append('image', new Blob([binary], { type: 'image/jpeg' }), 'a.jpg');
    form.append('note', 'hello');
    form.append('image', new Blob([new Uint8Array(0)]), 'empty.png');
    const { body, contentType } = await encode(form);
    const parts = parseMultipart(body, multipartBoundary(contentType));
    expect(parts.map((p) => [p.name, p.filename, p.data.byteLength])).toEqual([
      ['image', 'a.jpg', 5000],
      ['note', null, 5],
      ['image', 'empty.png', 0],
    ]);
    expect(Buffer.compare(parts[0]!.data, Buffer.from(binary))).toBe(0);
    expect(parts[0]!.contentType).toBe('image/jpeg');
    expect(parts[1]!.data.toString()).toBe('hello');
  });

  it('reads quoted boundaries', () => {
    expect(multipartBoundary('multipart/form-data; boundary="a b"')).toBe('a b');
    expect(multipartBoundary('multipart/form-data; charset=utf-8; boundary=xyz')).toBe('xyz');
    expect(() => multipartBoundary('multipart/form-data')).toThrow(MultipartError);
  });

  it.each([
    ['no boundary in the body', 'just text'],
    ['an unterminated part', '--b\r\nContent-Disposition: form-data; name="image"; filename="a"\r\n\r\nxxxx'],
    ['no end of headers', '--b\r\nContent-Disposition: form-data; name="image"'],
    ['a part that is not form-data', '--b\r\nContent-Disposition: attachment; name="image"\r\n\r\nx\r\n--b--'],
    ['a part without a name', '--b\r\nContent-Disposition: form-data\r\n\r\nx\r\n--b--'],
    ['a header line without a colon', '--b\r\nnonsense\r\n\r\nx\r\n--b--'],
    ['garbage after a boundary', '--bXX'],
    // Truncated bodies: the boundary at (or a byte before) the end, no closing "--".
    ['a body that ends at its first boundary', '--b'],
    ['a body that ends one byte after its first boundary', '--b-'],
    ['a body that ends inside the CRLF after a boundary', '--b\r'],
    ['a part followed by a boundary and nothing else', '--b\r\nContent-Disposition: form-data; name="image"; filename="a"\r\n\r\nx\r\n--b'],
  ])('refuses %s', (_what, text) => {
    expect(() => parseMultipart(Buffer.from(text), 'b')).toThrow(MultipartError);
  });
});
