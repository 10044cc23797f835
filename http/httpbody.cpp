// SPDX-License-Identifier: GPL-3.0-or-later
#include "httpbody.h"

namespace Feedscope::Http {

namespace {

// A chunk-size line longer than this is not a size line (the server's historic bound).
constexpr qsizetype maxChunkLine = 1024;

} // namespace

void BodyDecoder::startLength(qint64 length)
{
    m_remaining = length;
    m_state = length > 0 ? State::Length : State::Done;
}

void BodyDecoder::startChunked()
{
    m_remaining = 0;
    m_state = State::ChunkSize;
}

void BodyDecoder::startUntilClose()
{
    m_state = State::UntilClose;
}

BodyDecoder::Status BodyDecoder::finish() const
{
    return m_state == State::UntilClose || m_state == State::Done ? Status::Done
                                                                  : Status::Malformed;
}

BodyDecoder::Status BodyDecoder::feed(QByteArray &buffer, QByteArray &body, qint64 maxBytes)
{
    // Each state consumes what it can and returns when it needs more bytes.
    for (;;) {
        switch (m_state) {
        case State::Done: return Status::Done;
        case State::UntilClose:
            if (body.size() + buffer.size() > maxBytes)
                return Status::TooLarge;
            body.append(buffer);
            buffer.clear();
            return Status::NeedMore;
        case State::Length:
        case State::ChunkData: {
            const qsizetype take = qMin<qint64>(m_remaining, buffer.size());
            body.append(buffer.constData(), take);
            buffer.remove(0, take);
            m_remaining -= take;
            if (m_remaining > 0)
                return Status::NeedMore;
            m_state = m_state == State::Length ? State::Done : State::ChunkEnd;
            break;
        }
        case State::ChunkEnd:
            if (buffer.size() < 2)
                return Status::NeedMore; // the CRLF that ends the chunk
            buffer.remove(0, 2);
            m_state = State::ChunkSize;
            break;
        case State::ChunkSize: {
            const qsizetype eol = buffer.indexOf("\r\n");
            if (eol < 0)
                return buffer.size() > maxChunkLine ? Status::Malformed : Status::NeedMore;
            QByteArray sizeField = buffer.left(eol);
            const qsizetype semicolon = sizeField.indexOf(';');
            if (semicolon >= 0)
                sizeField.truncate(semicolon);
            bool ok = false;
            const qlonglong size = sizeField.trimmed().toLongLong(&ok, 16);
            buffer.remove(0, eol + 2);
            if (!ok || size < 0)
                return Status::Malformed;
            // Compared without adding: a chunk size near 2^63 would overflow the sum.
            if (size > maxBytes - body.size())
                return Status::TooLarge;
            m_remaining = size;
            m_state = size == 0 ? State::Trailer : State::ChunkData;
            break;
        }
        case State::Trailer: {
            const qsizetype eol = buffer.indexOf("\r\n");
            if (eol < 0)
                return Status::NeedMore;
            buffer.remove(0, eol + 2);
            if (eol == 0)
                m_state = State::Done; // the empty line ends the trailer
            break;
        }
        }
    }
}

} // namespace Feedscope::Http
