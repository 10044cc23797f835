// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "httpmessage.h"

#include <QObject>

class QTcpSocket;

namespace Feedscope::Http {

// True if `request` asks to switch to the WebSocket protocol (RFC 6455 4.1).
bool isWebSocketUpgrade(const Request &request);
// The 101 Switching Protocols reply to such a request.
Response webSocketAcceptResponse(const Request &request);

// One frame a client sent, its payload unmasked.
struct WebSocketFrame
{
    quint8 opcode = 0;
    QByteArray payload;
};

enum class FrameRead {
    NeedMore, // no whole frame at the front of the buffer yet
    Frame,    // one frame taken off the buffer
    TooLarge, // the frame announces more than maxClientFrameBytes: the connection is closed
};

// Clients send only small control frames to the activity stream; anything bigger is refused.
inline constexpr quint64 maxClientFrameBytes = 1024 * 1024;

// Takes the first whole frame (RFC 6455 5.2, masked or not) off the front of `buffer`. Pure,
// so that it can be fed arbitrary bytes (fuzz/fuzz_websocketframe.cpp).
FrameRead takeWebSocketFrame(QByteArray &buffer, WebSocketFrame &frame);

// A server-side WebSocket on a socket taken over from an HTTP connection: sends text messages,
// answers pings and close frames, and never buffers without bound — when the peer reads too
// slowly, messages are dropped and counted, and once it caught up a gap marker tells it how many
// it missed.
class WebSocket : public QObject
{
    Q_OBJECT

public:
    explicit WebSocket(QTcpSocket *socket, QObject *parent = nullptr);

    void sendText(const QByteArray &utf8);
    qint64 dropped() const { return m_droppedTotal; }

    // Bytes waiting to be written above which messages are dropped.
    static constexpr qint64 highWaterBytes = 1024 * 1024;

Q_SIGNALS:
    void closed();

private:
    void onReadyRead();
    void onBytesWritten();
    void writeFrame(quint8 opcode, const QByteArray &payload);
    void close();

    QTcpSocket *m_socket;
    QByteArray m_buffer;
    qint64 m_droppedSinceGap = 0;
    qint64 m_droppedTotal = 0;
    bool m_closing = false;
};

} // namespace Feedscope::Http
