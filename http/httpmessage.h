// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QList>
#include <QPair>

namespace Feedscope::Http {

using HeaderList = QList<QPair<QByteArray, QByteArray>>;

// One parsed HTTP/1.1 request. Header names are lower-cased on parse so lookups need no folding.
struct Request
{
    QByteArray method;
    QByteArray path;  // percent-encoded, without the query
    QByteArray query; // raw query string without '?'
    HeaderList headers;
    // Each header as it arrived (name case kept), only when Limits::keepRawHeaders asks for it.
    HeaderList rawHeaders;
    QByteArray body;
    bool keepAlive = true;

    QByteArray header(const QByteArray &lowerCaseName) const
    {
        for (const auto &h : headers) {
            if (h.first == lowerCaseName)
                return h.second;
        }
        return {};
    }
};

struct Response
{
    int status = 200;
    QByteArray contentType = "application/json";
    QByteArray body;
    HeaderList headers;

    static Response json(int status, const QByteArray &body)
    {
        return Response{status, "application/json", body, {}};
    }
    static Response text(int status, const QByteArray &body)
    {
        return Response{status, "text/plain; charset=UTF-8", body, {}};
    }
    static Response empty(int status) { return Response{status, {}, {}, {}}; }
};

QByteArray reasonPhrase(int status);

} // namespace Feedscope::Http
