// /whisk.system/utils/echo — feedscope-engine catalog.
// Written for feedscope-engine after the semantics of the OpenWhisk catalog action.
//
// Input:  any dictionary (typically {payload: <any JSON value>}).
// Output: the same dictionary, unchanged.

function main(params) {
    return params || {};
}

exports.main = main;
