// The lab's web page, made here rather than downloaded: the student page of the lab write-up (major,
// student ID 1911406, name) and a ~20 KB PNG logo with IHDR, sRGB and IDAT chunks (the write-up finds
// IHDR and sRGB inside the reassembled HTTP response). Deterministic: same bytes on every run.

import { deflateSync } from 'node:zlib';

export const LAB_STUDENT = { major: '计算机科学与技术', studentId: '1911406', name: '张三' } as const;

export function labPageHtml(): string {
  return `<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<title>Computer Networks Lab: ${LAB_STUDENT.studentId}</title>
</head>
<body>
<h1>Computer Networks Lab</h1>
<p>专业 (Major): ${LAB_STUDENT.major}</p>
<p>学号 (Student ID): ${LAB_STUDENT.studentId}</p>
<p>姓名 (Name): ${LAB_STUDENT.name}</p>
<img src="logo.png" alt="logo" width="100" height="80">
</body>
</html>
`;
}

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

function crc32(b: Uint8Array): number {
  let c = 0xffffffff;
  for (let i = 0; i < b.length; i++) c = CRC_TABLE[(c ^ b[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Uint8Array): Buffer {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'latin1');
  Buffer.from(data).copy(out, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

/**
 * A 100x80 RGB PNG: a gradient with pseudo-random speckle (an LCG, so it is reproducible) so that
 * zlib cannot squeeze it below ~20 KB, and the response spans many segments at MTU 576.
 */
export function labLogoPng(): Buffer {
  const w = 100, h = 80;
  const raw = Buffer.alloc(h * (1 + w * 3));
  let seed = 1911406;
  for (let y = 0; y < h; y++) {
    const row = y * (1 + w * 3);
    raw[row] = 0; // filter: none
    for (let x = 0; x < w; x++) {
      seed = (seed * 1103515245 + 12345) >>> 0;
      const noise = (seed >>> 16) & 0x1f;
      const i = row + 1 + x * 3;
      raw[i] = (x * 2 + noise) & 0xff;
      raw[i + 1] = (y * 2 + (noise >> 1)) & 0xff;
      raw[i + 2] = (128 + noise * 2) & 0xff;
    }
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // colour type: truecolour
  const sig = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return Buffer.concat([sig, chunk('IHDR', ihdr), chunk('sRGB', Uint8Array.of(0)), chunk('IDAT', deflateSync(raw, { level: 9 })), chunk('IEND', new Uint8Array(0))]);
}
