// /whisk.system/utils/smash — feedscope-engine catalog.
// Written for feedscope-engine after the semantics of the OpenWhisk catalog action.
//
// Input:  {$fieldName: string, ...other fields}
// Output: {<$fieldName>: {...other fields}}  (every field except $fieldName, nested)
// Error:  {error: "Expected an argument '$fieldName' of type 'string'."}

function main(params) {
    const input = params || {};
    const field = input.$fieldName;
    if (typeof field !== 'string') {
        return { error: "Expected an argument '$fieldName' of type 'string'." };
    }
    const nested = {};
    for (const key of Object.keys(input)) {
        if (key !== '$fieldName') nested[key] = input[key];
    }
    return { [field]: nested };
}

exports.main = main;
