// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "httpmessage.h"

#include <QString>

#include <functional>

namespace Feedscope::Http {

// What the application decides from a request's head alone, before any of its body is read.
struct HeadVerdict
{
    // This request's body limit (-1: Limits::maxBodyBytes). Routes that take small bodies say
    // so, so that a larger body is refused after at most that many bytes were kept.
    qint64 maxBodyBytes = -1;
    // Non-zero: the request is refused as it stands (no key, a web page), so its body is never
    // read — the refusal is sent at once and the connection closed, as for an oversize body.
    int refusalStatus = 0;
    QString refusalMessage;
};

// Called once per request that has a body (Content-Length > 0 or chunked), after its head.
using HeadInspector = std::function<HeadVerdict(const Request &head)>;

struct Limits
{
    qsizetype maxHeaderBytes = 64 * 1024;
    qsizetype maxBodyBytes = 64 * 1024 * 1024;
    // Not a limit but a parse option: also keep Request::rawHeaders. The engine looks headers up
    // by folded name only; the relay captures them as sent.
    bool keepRawHeaders = false;
    // None unless set: every request then gets Limits::maxBodyBytes and is read whole.
    HeadInspector inspectHead;
    // 0 = none. A connection with no reply outstanding that receives nothing for
    // `idleTimeoutMs` is closed (idle keep-alive connections, stalled senders), and so is one
    // whose request has not arrived whole `requestTimeoutMs` after its first byte (senders that
    // drip a byte at a time to hold a connection forever).
    int idleTimeoutMs = 0;
    int requestTimeoutMs = 0;
    // 0 = none. Past this many open connections, the one idle the longest is closed to make
    // room; when none is idle, the new connection is answered 503 and closed. Keeps a flood of
    // idle connections from taking every file descriptor.
    int maxConnections = 0;
};

} // namespace Feedscope::Http
