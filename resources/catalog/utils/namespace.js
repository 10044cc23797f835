// /whisk.system/utils/namespace — feedscope-engine catalog.
// Written for feedscope-engine after the semantics of the OpenWhisk catalog action.
//
// Input:  ignored.
// Output: {namespace: <namespace of the key that invoked the action>}
//         taken from the __OW_NAMESPACE environment variable set by the runtime.
//         (If it is unset the field is undefined and disappears from the JSON result.)

function main() {
    return { namespace: process.env.__OW_NAMESPACE };
}

exports.main = main;
