// /whisk.system/utils/cat — feedscope-engine catalog.
// Written for feedscope-engine after the semantics of the OpenWhisk catalog action.
//
// Input:  {lines: [string|number, ...]}   (missing lines is treated as [])
// Output: {lines: <the same array>, payload: <the items joined with "\n">}
//         Every other input field is dropped.
// Error:  {error: "..."} when `lines` is present but is not an array.

function main(params) {
    const input = params || {};
    const lines = input.lines === undefined || input.lines === null ? [] : input.lines;
    if (!Array.isArray(lines)) {
        return { error: "The parameter 'lines' must be an array." };
    }
    const payload = lines.join('\n');
    console.log(`cat: ${lines.length} line(s), ${payload.length} character(s)`);
    return { lines: lines, payload: payload };
}

exports.main = main;
