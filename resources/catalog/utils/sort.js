// /whisk.system/utils/sort — feedscope-engine catalog.
// Written for feedscope-engine after the semantics of the OpenWhisk catalog action.
//
// Input:  {lines: [...]}   (missing lines is treated as [])
// Output: {lines: <sorted copy>, length: <number of items>}
//         Ordering is JavaScript's default Array sort: items are compared as strings by
//         UTF-16 code units (so [10, 9, 1] sorts to [1, 10, 9]), as the catalog action does.
// Error:  {error: "..."} when `lines` is present but is not an array.

function main(params) {
    const input = params || {};
    const lines = input.lines === undefined || input.lines === null ? [] : input.lines;
    if (!Array.isArray(lines)) {
        return { error: "The parameter 'lines' must be an array." };
    }
    const sorted = lines.slice().sort();
    console.log(`sort: ordered ${sorted.length} line(s)`);
    return { lines: sorted, length: sorted.length };
}

exports.main = main;
