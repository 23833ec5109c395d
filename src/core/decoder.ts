// TextDecoder and TextEncoder are standards of every JavaScript runtime (browsers, Node,
// Electron) but not of the ECMAScript library that src/core is compiled against, so they are
// typed here by hand.
interface Decoder { decode(input: Uint8Array): string }
type DecoderConstructor = new (label: string, options?: { fatal?: boolean }) => Decoder;
interface Encoder { encode(input: string): Uint8Array }

const globals = globalThis as unknown as { TextDecoder: DecoderConstructor; TextEncoder: new () => Encoder };

export const TextDecoderImpl = globals.TextDecoder;

/** UTF-8 bytes of a string. */
export function utf8(text: string): Uint8Array {
  return new globals.TextEncoder().encode(text);
}
