// JPEG (JFIF) and GIF bodies, named and measured as Wireshark 4.0's packet-image-jfif.c and
// packet-image-gif.c do for the fields the lab needs: Info " (JPEG JFIF image)" / " (GIF89a)", the
// JPEG markers with the Start of Frame's lines and samples per line, the GIF version and screen size.
import { Base, FT, defineFields, defineProtocol } from '../../fields/registry.js';
import type { Ctx } from '../table.js';
import type { Item } from '../tree.js';
import type { Tvb } from '../tvb.js';
import { addText } from '../text.js';

export const proto_jfif = defineProtocol('image-jfif', 'JPEG File Interchange Format', 'JFIF (JPEG) image');
export const proto_gif = defineProtocol('image-gif', 'Compuserve GIF', 'GIF image');

export const hf_jfif = defineFields(proto_jfif, {
  marker: { abbrev: 'image-jfif.marker', name: 'Marker', type: FT.UINT16, base: Base.HEX },
  sof: { abbrev: 'image-jfif.sof', name: 'Start of Frame header', type: FT.NONE },
  precision: { abbrev: 'image-jfif.sof.precision', name: 'Sample Precision (bits)', type: FT.UINT8, base: Base.DEC },
  lines: { abbrev: 'image-jfif.sof.lines', name: 'Lines', type: FT.UINT16, base: Base.DEC },
  samples: { abbrev: 'image-jfif.sof.samples_per_line', name: 'Samples per line', type: FT.UINT16, base: Base.DEC },
});
export const hf_gif = defineFields(proto_gif, {
  version: { abbrev: 'image-gif.version', name: 'Version', type: FT.STRING },
  width: { abbrev: 'image-gif.screen.width', name: 'Screen width', type: FT.UINT16, base: Base.DEC },
  height: { abbrev: 'image-gif.screen.height', name: 'Screen height', type: FT.UINT16, base: Base.DEC },
});

export function isJpeg(tvb: Tvb): boolean {
  return tvb.length >= 3 && tvb.u8(0) === 0xff && tvb.u8(1) === 0xd8 && tvb.u8(2) === 0xff;
}
export function isGif(tvb: Tvb): boolean {
  if (tvb.length < 6) return false;
  const v = tvb.latin1(0, 6);
  return v === 'GIF87a' || v === 'GIF89a';
}

export function dissectJpeg(tvb: Tvb, ctx: Ctx, parent: Item): number {
  const { pinfo, tree } = ctx;
  pinfo.enter('image-jfif', 'JFIF (JPEG) image');
  if (pinfo.columns) pinfo.appendInfo(' (JPEG JFIF image)');
  const top = tree.add(parent, proto_jfif, tvb, 0, -1, null);
  tree.add(top, hf_jfif.marker, tvb, 0, 2, 0xffd8);
  let off = 2;
  while (off + 4 <= tvb.length && tvb.u8(off) === 0xff) {
    const marker = tvb.u16(off);
    if (marker === 0xffd9) {
      tree.add(top, hf_jfif.marker, tvb, off, 2, marker);
      break;
    }
    const len = tvb.u16(off + 2);
    const seg = addText(ctx, top, tvb, off, Math.min(2 + len, tvb.remaining(off)), `Marker segment: 0x${marker.toString(16)}`);
    tree.add(seg, hf_jfif.marker, tvb, off, 2, marker);
    if (marker >= 0xffc0 && marker <= 0xffcf && marker !== 0xffc4 && marker !== 0xffc8 && marker !== 0xffcc) {
      const sof = tree.add(seg, hf_jfif.sof, tvb, off + 4, len - 2, null);
      tree.add(sof, hf_jfif.precision, tvb, off + 4, 1, tvb.u8(off + 4));
      tree.add(sof, hf_jfif.lines, tvb, off + 5, 2, tvb.u16(off + 5));
      tree.add(sof, hf_jfif.samples, tvb, off + 7, 2, tvb.u16(off + 7));
    }
    off += 2 + len;
    if (marker === 0xffda) {
      // Entropy-coded data runs to the EOI marker (0xFFD9) that is not a stuffed 0xFF00.
      while (off + 1 < tvb.length && !(tvb.u8(off) === 0xff && tvb.u8(off + 1) === 0xd9)) off++;
    }
  }
  return tvb.length;
}

export function dissectGif(tvb: Tvb, ctx: Ctx, parent: Item): number {
  const { pinfo, tree } = ctx;
  const version = tvb.latin1(0, 6);
  pinfo.enter('image-gif', 'GIF image');
  if (pinfo.columns) pinfo.appendInfo(` (${version})`);
  const top = tree.add(parent, proto_gif, tvb, 0, -1, null);
  if (tree.full) tree.setText(top, `Compuserve GIF, Version: ${version}`);
  tree.add(top, hf_gif.version, tvb, 0, 6, version);
  tree.add(top, hf_gif.width, tvb, 6, 2, tvb.u16le(6));
  tree.add(top, hf_gif.height, tvb, 8, 2, tvb.u16le(8));
  return tvb.length;
}
