// /whisk.system/utils/hosturl — feedscope-engine catalog.
// Written for feedscope-engine after the semantics of the OpenWhisk catalog action.
//
// Input:  {path?: "<action>" | "<package>/<action>" | "<trigger>",
//          web?: true, ext?: ".html"|".http"|".json"|".svg"|".text", trigger?: true}
// Output: {url: ...} built from __OW_API_HOST and __OW_NAMESPACE:
//   default            <host>/api/v1/namespaces/<ns>/actions[/<path>]
//   trigger: true      <host>/api/v1/namespaces/<ns>/triggers[/<path>]
//   web: true          <host>/api/v1/web/<ns>[/<pkg-or-"default">/<action><ext>]
//                      (an action outside a package is placed in the "default" package;
//                       ext is appended as given, nothing when absent)
// Error:  {error: "..."} for a web trigger, an unknown web extension, a trigger path that
//         names a package, or a missing __OW_API_HOST.

const WEB_EXTENSIONS = ['.html', '.http', '.json', '.svg', '.text'];

function main(params) {
    const input = params || {};
    const host = (process.env.__OW_API_HOST || '').replace(/\/+$/, '');
    const ns = process.env.__OW_NAMESPACE;
    if (!host) {
        return { error: 'The API host (__OW_API_HOST) is not known to this action.' };
    }

    const web = input.web === true;
    const trigger = input.trigger === true;
    const path = input.path === undefined || input.path === null ? '' : String(input.path);

    if (web && trigger) {
        return { error: 'triggers are not allowed for web actions.' };
    }
    if (web && input.ext && !WEB_EXTENSIONS.includes(input.ext)) {
        return { error: `extension for web action must be one of ${JSON.stringify(WEB_EXTENSIONS)}.` };
    }
    if (trigger && path.includes('/')) {
        return { error: 'triggers are not allowed in packages.' };
    }

    const base = web
        ? `${host}/api/v1/web/${ns}`
        : `${host}/api/v1/namespaces/${ns}/${trigger ? 'triggers' : 'actions'}`;
    if (!path) {
        return { url: base };
    }
    if (web) {
        const qualified = path.includes('/') ? path : `default/${path}`;
        return { url: `${base}/${qualified}${input.ext || ''}` };
    }
    return { url: `${base}/${path}` };
}

exports.main = main;
