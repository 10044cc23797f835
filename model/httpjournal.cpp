// SPDX-License-Identifier: GPL-3.0-or-later
#include "httpjournal.h"

namespace Feedscope {

namespace {

QString shellQuote(const QString &text)
{
    QString quoted = text;
    quoted.replace(u'\'', QStringLiteral("'\\''"));
    return u'\'' + quoted + u'\'';
}

} // namespace

HttpJournal::HttpJournal(QObject *parent)
    : QObject(parent)
{}

qint64 HttpJournal::append(Entry entry)
{
    entry.id = m_nextId++;
    for (auto &header : entry.requestHeaders) {
        if (header.first.compare("authorization", Qt::CaseInsensitive) == 0)
            header.second = "Basic ***";
    }
    if (entry.requestBody.size() > maxBodyBytes)
        entry.requestBody = entry.requestBody.left(maxBodyBytes) + "…";
    if (entry.responseBody.size() > maxBodyBytes)
        entry.responseBody = entry.responseBody.left(maxBodyBytes) + "…";
    m_entries.append(entry);
    while (m_entries.size() > m_capacity)
        m_entries.removeFirst();
    Q_EMIT entryAdded(m_entries.last());
    return entry.id;
}

void HttpJournal::clear()
{
    m_entries.clear();
}

QString HttpJournal::toCurl(const Entry &entry)
{
    QStringList parts{QStringLiteral("curl")};
    if (entry.method != "GET")
        parts << QStringLiteral("-X") << QString::fromLatin1(entry.method);
    for (const auto &header : entry.requestHeaders) {
        if (header.first.compare("authorization", Qt::CaseInsensitive) == 0) {
            parts << QStringLiteral("-u") << QStringLiteral("\"$OW_AUTH\"");
            continue;
        }
        parts << QStringLiteral("-H")
              << shellQuote(QString::fromLatin1(header.first) + QStringLiteral(": ")
                            + QString::fromUtf8(header.second));
    }
    if (!entry.requestBody.isEmpty())
        parts << QStringLiteral("-d") << shellQuote(QString::fromUtf8(entry.requestBody));
    parts << shellQuote(entry.url.toString());
    return parts.join(u' ');
}

} // namespace Feedscope
