// SPDX-License-Identifier: GPL-3.0-or-later
#include "websocket.h"

#include <QCryptographicHash>
#include <QTcpSocket>

namespace Feedscope::Http {

namespace {

const QByteArray handshakeGuid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

enum Opcode : quint8 { Text = 0x1, Close = 0x8, Ping = 0x9, Pong = 0xA };

} // namespace

bool isWebSocketUpgrade(const Request &request)
{
    return request.method == "GET" && request.header("upgrade").toLower() == "websocket"
           && request.header("connection").toLower().contains("upgrade")
           && !request.header("sec-websocket-key").isEmpty();
}

Response webSocketAcceptResponse(const Request &request)
{
    const QByteArray key = request.header("sec-websocket-key") + handshakeGuid;
    const QByteArray accept = QCryptographicHash::hash(key, QCryptographicHash::Sha1).toBase64();
    Response response = Response::empty(101);
    response.headers = {{"Upgrade", "websocket"}, {"Sec-WebSocket-Accept", accept}};
    return response;
}

WebSocket::WebSocket(QTcpSocket *socket, QObject *parent)
    : QObject(parent)
    , m_socket(socket)
{
    m_socket->setParent(this);
    connect(m_socket, &QTcpSocket::readyRead, this, &WebSocket::onReadyRead);
    connect(m_socket, &QTcpSocket::bytesWritten, this, &WebSocket::onBytesWritten);
    connect(m_socket, &QTcpSocket::disconnected, this, [this] {
        Q_EMIT closed();
        deleteLater();
    });
}

void WebSocket::sendText(const QByteArray &utf8)
{
    if (m_closing)
        return;
    if (m_socket->bytesToWrite() > highWaterBytes) {
        ++m_droppedSinceGap;
        ++m_droppedTotal;
        return;
    }
    writeFrame(Text, utf8);
}

void WebSocket::onBytesWritten()
{
    // Caught up again after dropping: say how much was missed, once.
    if (m_droppedSinceGap > 0 && m_socket->bytesToWrite() < highWaterBytes / 4) {
        const QByteArray marker
            = "{\"type\":\"gap\",\"missed\":" + QByteArray::number(m_droppedSinceGap) + '}';
        m_droppedSinceGap = 0;
        writeFrame(Text, marker);
    }
}

void WebSocket::writeFrame(quint8 opcode, const QByteArray &payload)
{
    QByteArray frame;
    frame.append(char(0x80 | opcode));
    const qsizetype n = payload.size();
    if (n < 126) {
        frame.append(char(n));
    } else if (n <= 0xffff) {
        frame.append(char(126));
        frame.append(char((n >> 8) & 0xff));
        frame.append(char(n & 0xff));
    } else {
        frame.append(char(127));
        for (int shift = 56; shift >= 0; shift -= 8)
            frame.append(char((quint64(n) >> shift) & 0xff));
    }
    frame.append(payload);
    m_socket->write(frame);
}

FrameRead takeWebSocketFrame(QByteArray &buffer, WebSocketFrame &frame)
{
    if (buffer.size() < 2)
        return FrameRead::NeedMore;
    const quint8 b0 = quint8(buffer[0]);
    const quint8 b1 = quint8(buffer[1]);
    qsizetype offset = 2;
    quint64 length = b1 & 0x7f;
    if (length == 126) {
        if (buffer.size() < 4)
            return FrameRead::NeedMore;
        length = (quint64(quint8(buffer[2])) << 8) | quint8(buffer[3]);
        offset = 4;
    } else if (length == 127) {
        if (buffer.size() < 10)
            return FrameRead::NeedMore;
        length = 0;
        for (int i = 0; i < 8; ++i)
            length = (length << 8) | quint8(buffer[2 + i]);
        offset = 10;
    }
    if (length > maxClientFrameBytes)
        return FrameRead::TooLarge;
    const bool masked = b1 & 0x80;
    const qsizetype total = offset + (masked ? 4 : 0) + qsizetype(length);
    if (buffer.size() < total)
        return FrameRead::NeedMore;
    frame.opcode = b0 & 0x0f;
    frame.payload = buffer.mid(offset + (masked ? 4 : 0), qsizetype(length));
    if (masked) {
        const QByteArray mask = buffer.mid(offset, 4);
        for (qsizetype i = 0; i < frame.payload.size(); ++i)
            frame.payload[i] = char(frame.payload[i] ^ mask[i % 4]);
    }
    buffer.remove(0, total);
    return FrameRead::Frame;
}

void WebSocket::onReadyRead()
{
    m_buffer += m_socket->readAll();
    // Client frames are masked (RFC 6455 5.3); we only act on control frames.
    WebSocketFrame frame;
    for (;;) {
        switch (takeWebSocketFrame(m_buffer, frame)) {
        case FrameRead::NeedMore: return;
        case FrameRead::TooLarge: close(); return;
        case FrameRead::Frame: break;
        }
        if (frame.opcode == Ping) {
            writeFrame(Pong, frame.payload);
        } else if (frame.opcode == Close) {
            close();
            return;
        }
    }
}

void WebSocket::close()
{
    if (m_closing)
        return;
    m_closing = true;
    writeFrame(Close, QByteArray());
    m_socket->disconnectFromHost();
}

} // namespace Feedscope::Http
