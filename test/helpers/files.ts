// Files that are no CSV text, made by hand: the first bytes of the formats a workbook or a
// document is saved in (a ZIP's local headers, an OLE2 compound file), enough for the encoding rule.

/** A ZIP whose entries are stored as given: local headers, names and data, as the first bytes of an .xlsx or .ods. */
export function makeZip(entries: { name: string; data?: string }[]): Buffer {
  const parts = entries.map(({ name, data = '' }) => {
    const header = Buffer.alloc(30);
    header.writeUInt32LE(0x04034b50, 0);
    header.writeUInt16LE(20, 4); // version needed
    header.writeUInt32LE(Buffer.byteLength(data), 18); // compressed size
    header.writeUInt32LE(Buffer.byteLength(data), 22); // uncompressed size
    header.writeUInt16LE(Buffer.byteLength(name), 26);
    return Buffer.concat([header, Buffer.from(name), Buffer.from(data)]);
  });
  return Buffer.concat(parts);
}

/** The start of an OLE2 compound file (old .xls/.doc) with a directory entry named `stream` (UTF-16LE). */
export function makeOle(stream: string): Buffer {
  const sig = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
  const header = Buffer.alloc(512 - sig.length);
  const entry = Buffer.alloc(128);
  entry.write(stream, 0, 'utf16le');
  return Buffer.concat([sig, header, entry]);
}
