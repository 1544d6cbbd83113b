// Portable Network Graphics (Wireshark 4.0's packet-png.c; PNG spec, W3C 2003): the signature, then
// every chunk with its length, type, the three property bits of the type, the fields of IHDR, sRGB,
// tEXt, tIME and pHYs, and the CRC. HTTP hands image/png bodies here (Info " (PNG)").
import { Base, FT, defineFields, defineProtocol } from '../../fields/registry.js';
import type { Ctx } from '../table.js';
import type { Item } from '../tree.js';
import type { Tvb } from '../tvb.js';
import { addText } from '../text.js';

export const proto_png = defineProtocol('png', 'Portable Network Graphics', 'PNG');

const COLOUR_TYPES: Readonly<Record<number, string>> = { 0: 'Greyscale', 2: 'Truecolour', 3: 'Indexed-colour', 4: 'Greyscale with alpha', 6: 'Truecolour with alpha' };
const INTENTS: Readonly<Record<number, string>> = { 0: 'Perceptual', 1: 'Relative colorimetric', 2: 'Saturation', 3: 'Absolute colorimetric' };

export const hf_png = defineFields(proto_png, {
  signature: { abbrev: 'png.signature', name: 'PNG Signature', type: FT.BYTES },
  chunk_data: { abbrev: 'png.chunk.data', name: 'Data', type: FT.NONE },
  chunk_type: { abbrev: 'png.chunk.type', name: 'Chunk', type: FT.STRING },
  chunk_len: { abbrev: 'png.chunk.len', name: 'Len', type: FT.UINT32, base: Base.DEC },
  chunk_crc: { abbrev: 'png.chunk.crc', name: 'CRC', type: FT.UINT32, base: Base.HEX },
  flag_ancillary: { abbrev: 'png.chunk.flag.ancillary', name: 'Ancillary', type: FT.BOOLEAN, bitmask: 0x20000000, bitWidth: 32, tfs: ['This is an ANCILLARY chunk', 'This is a CRITICAL chunk'] },
  flag_private: { abbrev: 'png.chunk.flag.private', name: 'Private', type: FT.BOOLEAN, bitmask: 0x200000, bitWidth: 32, tfs: ['This is a PRIVATE chunk', 'This is a PUBLIC chunk'] },
  flag_stc: { abbrev: 'png.chunk.flag.stc', name: 'Safe To Copy', type: FT.BOOLEAN, bitmask: 0x20, bitWidth: 32, tfs: ['This chunk is SAFE TO COPY', 'This chunk is NOT safe to copy'] },
  width: { abbrev: 'png.ihdr.width', name: 'Width', type: FT.UINT32, base: Base.DEC },
  height: { abbrev: 'png.ihdr.height', name: 'Height', type: FT.UINT32, base: Base.DEC },
  bitdepth: { abbrev: 'png.ihdr.bitdepth', name: 'Bit Depth', type: FT.UINT8, base: Base.DEC },
  colour_type: { abbrev: 'png.ihdr.colour_type', name: 'Colour Type', type: FT.UINT8, base: Base.DEC, strings: COLOUR_TYPES },
  compression_method: { abbrev: 'png.ihdr.compression_method', name: 'Compression Method', type: FT.UINT8, base: Base.DEC, strings: { 0: 'Deflate' } },
  filter_method: { abbrev: 'png.ihdr.filter_method', name: 'Filter Method', type: FT.UINT8, base: Base.DEC, strings: { 0: 'Adaptive' } },
  interlace_method: { abbrev: 'png.ihdr.interlace_method', name: 'Interlace Method', type: FT.UINT8, base: Base.DEC, strings: { 0: 'No interlace', 1: 'Adam7' } },
  srgb_intent: { abbrev: 'png.srgb.intent', name: 'Intent', type: FT.UINT8, base: Base.DEC, strings: INTENTS },
  text_keyword: { abbrev: 'png.text.keyword', name: 'Keyword', type: FT.STRING },
  text_string: { abbrev: 'png.text.string', name: 'String', type: FT.STRING },
  time_year: { abbrev: 'png.time.year', name: 'Year', type: FT.UINT16, base: Base.DEC },
  time_month: { abbrev: 'png.time.month', name: 'Month', type: FT.UINT8, base: Base.DEC },
  time_day: { abbrev: 'png.time.day', name: 'Day', type: FT.UINT8, base: Base.DEC },
  time_hour: { abbrev: 'png.time.hour', name: 'Hour', type: FT.UINT8, base: Base.DEC },
  time_minute: { abbrev: 'png.time.minute', name: 'Minute', type: FT.UINT8, base: Base.DEC },
  time_second: { abbrev: 'png.time.second', name: 'Second', type: FT.UINT8, base: Base.DEC },
  phys_horiz: { abbrev: 'png.phys.horiz', name: 'Horizontal pixels per unit', type: FT.UINT32, base: Base.DEC },
  phys_vert: { abbrev: 'png.phys.vert', name: 'Vertical pixels per unit', type: FT.UINT32, base: Base.DEC },
});

/** Chunk names as packet-png.c's chunk_types[]. */
const CHUNK_NAMES: Readonly<Record<string, string>> = {
  IHDR: 'Image Header', sRGB: 'Standard RGB colour space', tEXt: 'Textual data', IDAT: 'Image data chunk',
  IEND: 'Image Trailer', PLTE: 'Palette', bKGD: 'Background colour', cHRM: 'Primary chromaticities',
  gAMA: 'Image gamma', hIST: 'Image histogram', iCCP: 'Embedded ICC profile', iTXt: 'International textual data',
  pHYs: 'Physical pixel dimensions', sBIT: 'Significant bits', sPLT: 'Suggested palette', tIME: 'Image last-modification time',
  tRNS: 'Transparency', zTXt: 'Compressed textual data', eXIf: 'Exchangeable Image File (Exif) Profile',
};

export const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

export function isPng(tvb: Tvb): boolean {
  if (tvb.length < 8) return false;
  for (let i = 0; i < 8; i++) if (tvb.u8(i) !== PNG_SIGNATURE[i]) return false;
  return true;
}

export function dissectPng(tvb: Tvb, ctx: Ctx, parent: Item): number {
  const { pinfo, tree } = ctx;
  pinfo.enter('png', 'PNG');
  if (pinfo.columns) pinfo.appendInfo(' (PNG)');
  const top = tree.add(parent, proto_png, tvb, 0, -1, null);
  tree.add(top, hf_png.signature, tvb, 0, 8, tvb.bytesAt(0, 8));
  let off = 8;
  while (tvb.remaining(off) > 0) {
    const len = tvb.u32(off);
    const type = tvb.latin1(off + 4, 4);
    const code = tvb.u32(off + 4);
    const name = CHUNK_NAMES[type] ?? 'Unknown';
    const total = Math.min(12 + len, tvb.remaining(off));
    const chunk = addText(ctx, top, tvb, off, total, `${name} (${type})`);
    tree.add(chunk, hf_png.chunk_len, tvb, off, 4, len);
    tree.add(chunk, hf_png.chunk_type, tvb, off + 4, 4, type);
    tree.add(chunk, hf_png.flag_ancillary, tvb, off + 4, 4, (code & 0x20000000) !== 0);
    tree.add(chunk, hf_png.flag_private, tvb, off + 4, 4, (code & 0x200000) !== 0);
    tree.add(chunk, hf_png.flag_stc, tvb, off + 4, 4, (code & 0x20) !== 0);
    const d = off + 8;
    switch (type) {
      case 'IHDR':
        tree.add(chunk, hf_png.width, tvb, d, 4, tvb.u32(d));
        tree.add(chunk, hf_png.height, tvb, d + 4, 4, tvb.u32(d + 4));
        tree.add(chunk, hf_png.bitdepth, tvb, d + 8, 1, tvb.u8(d + 8));
        tree.add(chunk, hf_png.colour_type, tvb, d + 9, 1, tvb.u8(d + 9));
        tree.add(chunk, hf_png.compression_method, tvb, d + 10, 1, tvb.u8(d + 10));
        tree.add(chunk, hf_png.filter_method, tvb, d + 11, 1, tvb.u8(d + 11));
        tree.add(chunk, hf_png.interlace_method, tvb, d + 12, 1, tvb.u8(d + 12));
        break;
      case 'sRGB':
        tree.add(chunk, hf_png.srgb_intent, tvb, d, 1, tvb.u8(d));
        break;
      case 'tEXt': {
        const nul = tvb.find(0, d, len);
        if (nul >= 0) {
          tree.add(chunk, hf_png.text_keyword, tvb, d, nul - d, tvb.latin1(d, nul - d));
          tree.add(chunk, hf_png.text_string, tvb, nul + 1, d + len - nul - 1, tvb.latin1(nul + 1, d + len - nul - 1));
        }
        break;
      }
      case 'tIME':
        tree.add(chunk, hf_png.time_year, tvb, d, 2, tvb.u16(d));
        tree.add(chunk, hf_png.time_month, tvb, d + 2, 1, tvb.u8(d + 2));
        tree.add(chunk, hf_png.time_day, tvb, d + 3, 1, tvb.u8(d + 3));
        tree.add(chunk, hf_png.time_hour, tvb, d + 4, 1, tvb.u8(d + 4));
        tree.add(chunk, hf_png.time_minute, tvb, d + 5, 1, tvb.u8(d + 5));
        tree.add(chunk, hf_png.time_second, tvb, d + 6, 1, tvb.u8(d + 6));
        break;
      case 'pHYs':
        tree.add(chunk, hf_png.phys_horiz, tvb, d, 4, tvb.u32(d));
        tree.add(chunk, hf_png.phys_vert, tvb, d + 4, 4, tvb.u32(d + 4));
        break;
      case 'IEND':
        break;
      default:
        if (len > 0) tree.add(chunk, hf_png.chunk_data, tvb, d, Math.min(len, tvb.remaining(d)), null);
        break;
    }
    tree.add(chunk, hf_png.chunk_crc, tvb, d + len, 4, tvb.u32(d + len));
    off += 12 + len;
  }
  return tvb.length;
}
