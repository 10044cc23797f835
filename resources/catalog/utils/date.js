// /whisk.system/utils/date — feedscope-engine catalog.
// Written for feedscope-engine after the semantics of the OpenWhisk catalog action.
//
// Input:  ignored.
// Output: {date: <current time as an ISO-8601 UTC string, e.g. "2016-03-22T00:59:55.961Z">}
//         (the catalog action returns a Date object, which JSON serialises to this form).

function main() {
    const now = new Date();
    console.log(`date: the time is ${now.toString()}`);
    return { date: now.toISOString() };
}

exports.main = main;
