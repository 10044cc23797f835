// SPDX-License-Identifier: GPL-3.0-or-later
#include "requestparser.h"

namespace Feedscope::Http {

namespace {

// RFC 9110 5.6.2: a method or field name is a token.
bool isToken(const QByteArray &text)
{
    static const QByteArray punctuation("!#$%&'*+-.^_`|~");
    if (text.isEmpty())
        return false;
    for (const char c : text) {
        const bool alnum
            = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
        if (!alnum && !punctuation.contains(c))
            return false;
    }
    return true;
}

// Control characters other than tab end a field value or a target early in other parsers;
// a request carrying them is refused rather than read differently from them (smuggling).
bool hasControl(const QByteArray &text, bool allowTab)
{
    for (const char c : text) {
        const auto u = static_cast<unsigned char>(c);
        if ((u < 0x20 && !(allowTab && c == '\t')) || u == 0x7f)
            return true;
    }
    return false;
}

} // namespace

RequestParser::RequestParser(const Limits &limits)
    : m_limits(limits)
{}

RequestParser::Event RequestParser::next()
{
    if (m_ready)
        return Event::Request;
    switch (m_state) {
    case State::Head: {
        const qsizetype end = m_buffer.indexOf("\r\n\r\n");
        if (end < 0) {
            if (m_buffer.size() > m_limits.maxHeaderBytes)
                return refuse(431, "Request header fields too large.");
            return Event::NeedMore;
        }
        if (end > m_limits.maxHeaderBytes)
            return refuse(431, "Request header fields too large.");
        return parseHead(end);
    }
    case State::Body:
        switch (m_body.feed(m_buffer, m_request.body, m_bodyLimit)) {
        case BodyDecoder::Status::NeedMore: return Event::NeedMore;
        case BodyDecoder::Status::Done:
            m_state = State::Head;
            m_ready = true;
            return Event::Request;
        case BodyDecoder::Status::Malformed: return refuse(400, "Malformed chunked encoding.");
        case BodyDecoder::Status::TooLarge:
            return refuse(413,
                          "The request content exceeds the allowed threshold of "
                              + QByteArray::number(m_bodyLimit) + " bytes.");
        }
        break;
    }
    return Event::NeedMore;
}

Request RequestParser::takeRequest()
{
    m_ready = false;
    Request request = std::move(m_request);
    m_request = Request{};
    return request;
}

RequestParser::Event RequestParser::refuse(int status, const QByteArray &message)
{
    m_refusalStatus = status;
    m_refusalMessage = message;
    return Event::Refused;
}

RequestParser::Event RequestParser::parseHead(qsizetype headEnd)
{
    const QByteArray head = m_buffer.left(headEnd);
    m_buffer.remove(0, headEnd + 4);
    m_request = Request{};

    const QList<QByteArray> lines = head.split('\n');
    const QList<QByteArray> requestLine = lines.first().trimmed().split(' ');
    if (requestLine.size() != 3 || !requestLine[2].startsWith("HTTP/1.")
        || !isToken(requestLine[0]) || requestLine[1].isEmpty()
        || hasControl(requestLine[1], false))
        return refuse(400, "Malformed request line.");
    m_request.method = requestLine[0];
    const QByteArray &target = requestLine[1];
    const qsizetype question = target.indexOf('?');
    m_request.path = question < 0 ? target : target.left(question);
    m_request.query = question < 0 ? QByteArray() : target.mid(question + 1);
    const bool http10 = requestLine[2] == "HTTP/1.0";

    qlonglong contentLength = 0;
    bool hasLength = false;
    bool chunked = false;
    bool hasTransferEncoding = false;
    bool expectContinue = false;
    QByteArray connectionHeader;
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const QByteArray &line = lines[i];
        const qsizetype colon = line.indexOf(':');
        if (colon <= 0)
            return refuse(400, "Malformed header line.");
        // No space before the colon (RFC 9112 5.1): "Name :" is refused, not read as "Name".
        QByteArray name = line.left(colon);
        QByteArray value = line.mid(colon + 1).trimmed();
        if (!isToken(name) || hasControl(value, true))
            return refuse(400, "Malformed header line.");
        if (m_limits.keepRawHeaders)
            m_request.rawHeaders.append({name, value});
        name = std::move(name).toLower();
        if (name == "content-length") {
            bool ok = false;
            const qlonglong length = value.toLongLong(&ok);
            // Two different lengths: which one frames the body is what request smuggling
            // plays on, so neither is trusted (RFC 9112 6.3).
            if (!ok || length < 0 || (hasLength && length != contentLength))
                return refuse(400, "Malformed Content-Length.");
            contentLength = length;
            hasLength = true;
        } else if (name == "transfer-encoding") {
            // Only chunked is understood; anything else (gzip, "chunked, gzip", a value that
            // merely contains the word) would leave the body's length unknown.
            if (hasTransferEncoding || value.toLower() != "chunked") {
                return refuse(501,
                              "Transfer-Encoding '" + value.left(100)
                                  + "' is not supported; send the body chunked or with "
                                    "Content-Length.");
            }
            chunked = true;
            hasTransferEncoding = true;
        } else if (name == "expect") {
            expectContinue = value.toLower() == "100-continue";
        } else if (name == "connection") {
            connectionHeader = value.toLower();
        }
        m_request.headers.append({std::move(name), std::move(value)});
    }
    if (chunked && hasLength)
        return refuse(400, "A request may not carry both Content-Length and Transfer-Encoding.");
    m_request.keepAlive
        = http10 ? connectionHeader.contains("keep-alive") : !connectionHeader.contains("close");

    m_bodyLimit = m_limits.maxBodyBytes;
    if ((chunked || contentLength > 0) && m_limits.inspectHead) {
        const HeadVerdict verdict = m_limits.inspectHead(m_request);
        if (verdict.refusalStatus != 0)
            return refuse(verdict.refusalStatus, verdict.refusalMessage.toUtf8());
        if (verdict.maxBodyBytes >= 0)
            m_bodyLimit = verdict.maxBodyBytes;
    }
    if (!chunked && contentLength > m_bodyLimit) {
        return refuse(413,
                      "The request content was " + QByteArray::number(contentLength)
                          + " bytes, which exceeds the allowed threshold of "
                          + QByteArray::number(m_bodyLimit) + " bytes.");
    }
    if (chunked) {
        m_body.startChunked();
    } else if (contentLength > 0) {
        m_request.body.reserve(contentLength);
        m_body.startLength(contentLength);
    } else {
        m_ready = true;
        return Event::Request;
    }
    m_state = State::Body;
    return expectContinue ? Event::Continue : next();
}

} // namespace Feedscope::Http
