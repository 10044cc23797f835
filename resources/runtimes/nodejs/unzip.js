// SPDX-License-Identifier: GPL-3.0-or-later
// A small zip extractor (stored and deflated entries) so zipped actions need nothing beyond
// Node's standard library. Reads the central directory, refuses paths that leave `dir`.
'use strict';

const fs = require('fs');
const path = require('path');
const zlib = require('zlib');

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;

function findEndOfCentralDirectory(buf) {
    const min = Math.max(0, buf.length - 0xffff - 22);
    for (let i = buf.length - 22; i >= min; i--) {
        if (buf.readUInt32LE(i) === EOCD) return i;
    }
    throw new Error('The action code is not a valid zip archive (no end of central directory).');
}

function extractZip(buf, dir) {
    const eocd = findEndOfCentralDirectory(buf);
    const entries = buf.readUInt16LE(eocd + 10);
    let offset = buf.readUInt32LE(eocd + 16);
    const root = path.resolve(dir);
    for (let n = 0; n < entries; n++) {
        if (offset + 46 > buf.length || buf.readUInt32LE(offset) !== CENTRAL) {
            throw new Error('The action code is not a valid zip archive (bad central directory).');
        }
        const method = buf.readUInt16LE(offset + 10);
        const compressedSize = buf.readUInt32LE(offset + 20);
        const nameLength = buf.readUInt16LE(offset + 28);
        const extraLength = buf.readUInt16LE(offset + 30);
        const commentLength = buf.readUInt16LE(offset + 32);
        const externalAttributes = buf.readUInt32LE(offset + 38);
        const localOffset = buf.readUInt32LE(offset + 42);
        const name = buf.toString('utf8', offset + 46, offset + 46 + nameLength);
        offset += 46 + nameLength + extraLength + commentLength;

        const target = path.resolve(root, name);
        if (target !== root && !target.startsWith(root + path.sep)) {
            throw new Error(`The zip entry '${name}' points outside the action directory.`);
        }
        if (name.endsWith('/')) {
            fs.mkdirSync(target, { recursive: true });
            continue;
        }
        if (buf.readUInt32LE(localOffset) !== LOCAL) {
            throw new Error('The action code is not a valid zip archive (bad local header).');
        }
        const dataStart = localOffset + 30 + buf.readUInt16LE(localOffset + 26)
            + buf.readUInt16LE(localOffset + 28);
        const data = buf.subarray(dataStart, dataStart + compressedSize);
        let content;
        if (method === 0) content = data;
        else if (method === 8) content = zlib.inflateRawSync(data);
        else throw new Error(`The zip entry '${name}' uses unsupported compression ${method}.`);
        fs.mkdirSync(path.dirname(target), { recursive: true });
        fs.writeFileSync(target, content);
        const mode = (externalAttributes >>> 16) & 0o777;
        if (mode) fs.chmodSync(target, mode);
    }
}

module.exports = { extractZip };
