// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "httpbody.h"
#include "httplimits.h"
#include "httpmessage.h"

namespace Feedscope::Http {

// The bytes-to-requests half of a server connection, without any I/O, so that it can be fed
// arbitrary input (fuzz/fuzz_httprequest.cpp). HTTP/1.1 requests with Content-Length or chunked
// bodies; Expect: 100-continue is reported for the connection to answer. An oversize head (431)
// or body (413, checked before it is buffered, against Limits::maxBodyBytes or the head
// inspector's verdict), a refusal by the head inspector and malformed input (400) end parsing:
// the rest of the stream cannot be resynchronised, and the caller drops it (clear()).
class RequestParser
{
public:
    enum class Event {
        NeedMore, // all buffered bytes are consumed, or a partial message waits for more
        Continue, // the head asked for 100-continue before sending its body
        Request,  // a whole request is ready: takeRequest()
        Refused,  // refusalStatus() / refusalMessage(); partial() holds what was parsed
    };

    explicit RequestParser(const Limits &limits);

    void append(const QByteArray &bytes) { m_buffer.append(bytes); }
    bool hasBuffered() const { return !m_buffer.isEmpty(); }
    // No request begun: nothing buffered and no body being read.
    bool isBetweenRequests() const { return m_state == State::Head && m_buffer.isEmpty(); }
    // Drops what is buffered (after a refusal, or when the connection closes).
    void clear() { m_buffer.clear(); }

    // Parses what is buffered up to the next event.
    Event next();

    Request takeRequest();
    const Request &partial() const { return m_request; }
    int refusalStatus() const { return m_refusalStatus; }
    const QByteArray &refusalMessage() const { return m_refusalMessage; }

private:
    enum class State { Head, Body };

    Event parseHead(qsizetype headEnd);
    Event refuse(int status, const QByteArray &message);

    Limits m_limits;
    QByteArray m_buffer;
    Request m_request;
    State m_state = State::Head;
    BodyDecoder m_body;
    qint64 m_bodyLimit = 0;
    bool m_ready = false;
    int m_refusalStatus = 0;
    QByteArray m_refusalMessage;
};

} // namespace Feedscope::Http
