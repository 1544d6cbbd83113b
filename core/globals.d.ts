// The few platform globals core/ may use: they exist alike in Node, browsers and Web Workers (WHATWG
// Encoding Standard), so using them keeps core/ free of any one runtime. Nothing else is declared.
declare class TextDecoder {
  constructor(label?: string, options?: { fatal?: boolean; ignoreBOM?: boolean });
  decode(input?: Uint8Array, options?: { stream?: boolean }): string;
}
declare class TextEncoder {
  encode(input?: string): Uint8Array;
}
