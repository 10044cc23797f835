// SPDX-License-Identifier: GPL-3.0-or-later
#include "requestguard.h"

#include <QNetworkInterface>
#include <QUrl>

namespace Feedscope::Engine {

RequestGuard::RequestGuard(const QHostAddress &bound, quint16 port, const QStringList &extraHosts)
    : m_enabled(true)
    , m_bound(bound)
    , m_port(port)
    , m_extraHosts(extraHosts)
{}

QString RequestGuard::hostOf(const QByteArray &authority, int *port)
{
    QString text = QString::fromLatin1(authority.trimmed()).toLower();
    QString host;
    QString portText;
    if (text.startsWith(u'[')) {
        const qsizetype close = text.indexOf(u']');
        if (close < 0)
            return {};
        host = text.mid(1, close - 1);
        if (close + 1 < text.size()) {
            if (text.at(close + 1) != u':')
                return {};
            portText = text.mid(close + 2);
        }
    } else {
        const qsizetype colon = text.lastIndexOf(u':');
        // More than one colon without brackets is not a valid authority.
        if (colon >= 0 && text.indexOf(u':') != colon)
            return {};
        host = colon < 0 ? text : text.left(colon);
        if (colon >= 0)
            portText = text.mid(colon + 1);
    }
    if (port) {
        bool ok = false;
        const int value = portText.toInt(&ok);
        *port = ok ? value : -1;
    }
    if (host.endsWith(u'.')) // "localhost." is the same name
        host.chop(1);
    return host;
}

bool RequestGuard::isLoopbackName(const QString &host)
{
    if (host == u"localhost" || host.endsWith(u".localhost"))
        return true; // RFC 6761: resolved to loopback by the resolver itself, never by DNS
    const QHostAddress address(host);
    return !address.isNull() && address.isLoopback();
}

bool RequestGuard::isAllowedHost(const QString &host) const
{
    if (host.isEmpty())
        return false;
    if (isLoopbackName(host) || m_extraHosts.contains(host))
        return true;
    const QHostAddress address(host);
    if (address.isNull())
        return false;
    if (address.isEqual(m_bound, QHostAddress::TolerantConversion))
        return true;
    // Listening on every address (0.0.0.0 / ::, with --allow-remote): any address of this
    // machine names it. Host names other than those allowed are still refused.
    if (m_bound == QHostAddress::Any || m_bound == QHostAddress::AnyIPv4
        || m_bound == QHostAddress::AnyIPv6) {
        const auto local = QNetworkInterface::allAddresses();
        for (const QHostAddress &a : local) {
            if (a.isEqual(address, QHostAddress::TolerantConversion))
                return true;
        }
    }
    return false;
}

std::optional<QString> RequestGuard::refusal(const Http::Request &request) const
{
    if (!m_enabled)
        return std::nullopt;
    const QByteArray hostHeader = request.header("host");
    if (!hostHeader.isEmpty() && hostHeader != m_allowedHost) {
        const QString host = hostOf(hostHeader);
        if (!isAllowedHost(host)) {
            return QStringLiteral(
                       "Host '%1' is not allowed: feedscope-engine answers only requests addressed "
                       "to a loopback name or the address it listens on (start it with "
                       "--allow-host NAME to accept another name).")
                .arg(QString::fromLatin1(hostHeader.left(200)));
        }
        m_allowedHost = hostHeader;
    }
    const QByteArray originHeader = request.header("origin");
    if (!originHeader.isEmpty()) {
        // The only origin a browser could legitimately send is the engine's own (a page served
        // by the engine, which serves none); tools such as websocket clients also send that.
        const QUrl origin(QString::fromLatin1(originHeader));
        const bool own = origin.isValid() && origin.scheme() == u"http"
                         && isAllowedHost(origin.host().toLower())
                         && origin.port(80) == int(m_port);
        if (!own) {
            return QStringLiteral(
                       "Origin '%1' is not allowed: feedscope-engine does not serve web pages, and "
                       "browsers may not call it from other sites.")
                .arg(QString::fromLatin1(originHeader.left(200)));
        }
    }
    return std::nullopt;
}

} // namespace Feedscope::Engine
