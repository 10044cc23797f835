// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "webhookcapture.h"
#include "whiskclient.h"

#include <QUrl>

namespace Feedscope {

// How the relay turns a request into a trigger fire (POST .../triggers/{trigger}), as a pure
// function of the request: a replay of a capture therefore sends exactly what its delivery sent.
//
// The body: a JSON object goes to the trigger byte for byte (it is the payload). Anything else —
// form data, XML, text, binary, a JSON array, since OpenWhisk payloads are objects — is wrapped
// the way web actions receive raw bodies:
//   {"__ow_body": "<the body>", "__ow_body_encoding": "utf-8" | "base64",
//    "__ow_content_type": "<the sender's Content-Type>"}
// (text stays text; anything that is not valid UTF-8, or holds a NUL, is Base64). An empty body
// fires an empty payload.
//
// The headers: every end-to-end header the sender sent, in order (the engine hands them to rule
// actions as __ow_headers), minus those that describe the hop or the body framing rather than the
// event, and those the relay must own. See isForwardedHeader().
struct TriggerFire
{
    QByteArray body; // always JSON (Content-Type: application/json)
    HttpHeaderList headers;
};

TriggerFire triggerFireFor(const WebhookRequest &request);

// False for Host, Content-Length, Content-Type, Connection, Keep-Alive, Proxy-*, TE, Trailer,
// Transfer-Encoding, Upgrade, Expect (hop-by-hop or framing: they describe this hop, RFC 9110
// 7.6.1), Authorization (the relay sends the profile's key instead), Accept-Encoding (the relay
// hands the API's body back as it got it, so it must not ask for compression it would have to
// undo), Content-Encoding (the fire body is the relay's JSON, never the sender's encoding) and
// Origin (the engine refuses foreign origins; the relay has already checked it).
bool isForwardedHeader(const QByteArray &name);

// POST {apiHost}/api/v1/namespaces/{ns}/triggers/{trigger}
QUrl triggerFireUrl(const WhiskEndpoint &endpoint, const QString &trigger);

// Ready curl lines for a JSON payload (STYLE.md: the key is never printed unless asked for).
// The direct fire with `-u KEY`: `withKey` puts the real key in (for the clipboard), otherwise
// it reads '***'.
QString directFireCurl(const WhiskEndpoint &endpoint,
                       const QString &trigger,
                       const QByteArray &payload,
                       bool withKey);
// The same event through the relay: no key at all.
QString relayCurl(const QUrl &hookUrl, const QByteArray &payload);

} // namespace Feedscope
