// /whisk.system/utils/split — feedscope-engine catalog.
// Written for feedscope-engine after the semantics of the OpenWhisk catalog action.
//
// Input:  {payload: string, separator?: string}
//         With no separator (or an empty one) the payload is split at line breaks,
//         accepting both "\n" and "\r\n". A given separator is matched literally.
//         Numbers and booleans are converted to their string form first.
// Output: {lines: [string, ...], payload: <the payload as given>}
// Error:  {error: "..."} when payload is missing or is an object/array,
//         or when separator is not a string.

const LINE_BREAK = /\r?\n/;

function main(params) {
    const input = params || {};
    const payload = input.payload;
    if (payload === undefined || payload === null) {
        return { error: "The parameter 'payload' is required." };
    }
    if (typeof payload === 'object') {
        return { error: "The parameter 'payload' must be a string." };
    }

    let separator = LINE_BREAK;
    if (input.separator !== undefined && input.separator !== null && input.separator !== '') {
        if (typeof input.separator !== 'string') {
            return { error: "The parameter 'separator' must be a string." };
        }
        separator = input.separator;
    }

    const lines = String(payload).split(separator);
    console.log(`split: produced ${lines.length} line(s)`);
    return { lines: lines, payload: payload };
}

exports.main = main;
