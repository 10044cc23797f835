// /whisk.system/utils/head — feedscope-engine catalog.
// Written for feedscope-engine after the semantics of the OpenWhisk catalog action.
//
// Input:  {lines: [...], num?: integer}
//         lines missing → []; num missing/null/0/"" → 1 (the catalog's default).
//         A numeric string for num is accepted; a fraction is truncated.
//         A negative num drops that many items from the end (like `head -n -K`),
//         which is what the catalog's Array.slice-based action does too.
// Output: {lines: <first num items>, num: <the count used>}
// Error:  {error: "..."} when lines is not an array or num is not a number.

function main(params) {
    const input = params || {};
    const lines = input.lines === undefined || input.lines === null ? [] : input.lines;
    if (!Array.isArray(lines)) {
        return { error: "The parameter 'lines' must be an array." };
    }

    let num = 1;
    if (input.num !== undefined && input.num !== null && input.num !== '' && input.num !== 0) {
        const n = typeof input.num === 'string' ? Number(input.num.trim()) : input.num;
        if (typeof n !== 'number' || !Number.isFinite(n)) {
            return { error: "The parameter 'num' must be an integer." };
        }
        num = Math.trunc(n) || 1;
    }

    const prefix = lines.slice(0, num);
    console.log(`head: kept ${prefix.length} of ${lines.length} line(s)`);
    return { lines: prefix, num: num };
}

exports.main = main;
