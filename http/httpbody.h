// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>

namespace Feedscope::Http {

// Reads one message body off a byte stream as it arrives, for requests (the server) and
// responses (the client) alike: a Content-Length body, a chunked one (RFC 9112 7.1, chunk
// extensions and trailers skipped), or — responses only — everything until the peer closes.
// The limit is checked before bytes are kept, so an oversize body is refused, not buffered.
class BodyDecoder
{
public:
    enum class Status { NeedMore, Done, Malformed, TooLarge };

    void startLength(qint64 length);
    void startChunked();
    void startUntilClose();

    // Moves what belongs to the body from the front of `buffer` into `body` (at most `maxBytes`
    // in all). Done once the body is complete; the rest of `buffer` is the next message.
    Status feed(QByteArray &buffer, QByteArray &body, qint64 maxBytes);
    // The peer closed the stream: Done when the body is delimited by the close.
    Status finish() const;

private:
    enum class State { Length, ChunkSize, ChunkData, ChunkEnd, Trailer, UntilClose, Done };

    State m_state = State::Done;
    qint64 m_remaining = 0;
};

} // namespace Feedscope::Http
