// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "httpmessage.h"

#include <QHostAddress>
#include <QString>
#include <QStringList>

#include <optional>

namespace Feedscope::Engine {

// Keeps web pages away from the engine. The engine runs user code behind a key that is public
// (PROTOCOL.md 1.2), so a page in the user's browser must not reach it:
//  - DNS rebinding: a page on evil.example re-points its own name at 127.0.0.1 and then talks
//    to the engine as a same-origin site. Its requests still carry `Host: evil.example`, so a
//    request whose Host is not a loopback name, the bound address or a name the user allowed
//    is refused.
//  - Cross-origin requests and WebSockets (which browsers open to any host, and which carry
//    credentials from a ws://user:key@ URL): browsers always send `Origin` with them, and no
//    OpenWhisk client does, so a request whose Origin is not the engine's own is refused. No
//    CORS grant is ever sent either, so a browser cannot read an answer.
// Requests without Host (HTTP/1.0 tools) or without Origin (every non-browser client) pass.
class RequestGuard
{
public:
    RequestGuard() = default;
    // `bound`: the address the server listens on; `port` its port; `extraHosts`: names the
    // user allowed with --allow-host (lower case, without port).
    RequestGuard(const QHostAddress &bound, quint16 port, const QStringList &extraHosts);

    // Why the request is refused (a sentence for the {error, code} body), or nothing.
    std::optional<QString> refusal(const Http::Request &request) const;

    // The host part of a Host header value or an origin's authority: "[::1]:80" → "::1",
    // "Example.COM:3233" → "example.com"; the port, when present, goes to `port`.
    static QString hostOf(const QByteArray &authority, int *port = nullptr);
    static bool isLoopbackName(const QString &host);

private:
    bool isAllowedHost(const QString &host) const;

    bool m_enabled = false;
    // The last Host value found allowed: a client sends the same one on every request, so the
    // check costs one comparison on the hot path (fires, pings).
    mutable QByteArray m_allowedHost;
    QHostAddress m_bound;
    quint16 m_port = 0;
    QStringList m_extraHosts;
};

} // namespace Feedscope::Engine
