// HTTP over reassembled TCP against tshark 4.0.17 defaults: Content-Length, chunked, gzip (fflate),
// HEAD, 304, close-delimited and pipelined messages, request/response matching, and the image bodies
// (PNG chunks, JPEG, GIF), on the lab capture of captures.ts.
import { describe, expect, it } from 'vitest';
import { capturePath } from './captures.js';
import { brief, compareCapture } from './compare.js';

const HTTP_FIELDS = [
  'http.request.method', 'http.request.uri', 'http.request.version', 'http.host', 'http.user_agent', 'http.accept',
  'http.response.code', 'http.response.phrase', 'http.content_type', 'http.content_length', 'http.content_encoding',
  'http.transfer_encoding', 'http.request.full_uri', 'http.request_number', 'http.response_number', 'http.request_in',
  'http.time', 'http.prev_request_in', 'http.prev_response_in', 'http.response_for.uri', 'http.file_data',
  'http.chunk_size', 'http.chunk_data', 'http.chunk_boundary',
  'png.signature', 'png.chunk.type', 'png.chunk.len', 'png.chunk.crc', 'png.chunk.flag.ancillary', 'png.ihdr.width',
  'png.ihdr.height', 'png.ihdr.bitdepth', 'png.ihdr.colour_type', 'png.srgb.intent', 'png.text.keyword', 'png.text.string',
  'image-gif.version', 'image-gif.screen.width', 'image-gif.screen.height', 'image-jfif.sof.lines', 'image-jfif.sof.samples_per_line',
  'tcp.reassembled.length', 'tcp.segment', 'tcp.segment.count', 'tcp.segment_data',
  '_ws.col.Protocol', '_ws.col.Info',
];

describe('HTTP reassembly vs tshark -n (lab capture)', () => {
  it('gives every HTTP, PNG, JPEG and GIF field and the Info column as tshark does', () => {
    const r = compareCapture(capturePath('lab'), HTTP_FIELDS);
    expect(brief(r.mismatches)).toEqual([]);
    expect(r.compared).toBeGreaterThan(400);
  });
  it('gives the same on a second pass (the UI re-dissecting frames), matching tshark -2', () => {
    const r = compareCapture(capturePath('lab'), HTTP_FIELDS, true);
    expect(brief(r.mismatches)).toEqual([]);
  });
});
