// TextDecoder is a standard of every JavaScript runtime (browsers, Node, Electron) but not of
// the ECMAScript library that src/core is compiled against, so it is typed here by hand.
interface Decoder { decode(input: Uint8Array): string }
type DecoderConstructor = new (label: string, options?: { fatal?: boolean }) => Decoder;

export const TextDecoderImpl = (globalThis as unknown as { TextDecoder: DecoderConstructor }).TextDecoder;
