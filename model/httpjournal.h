// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QDateTime>
#include <QList>
#include <QObject>
#include <QPair>
#include <QUrl>

namespace Feedscope {

// Every request the client sent and what came back, for the HTTP log panel: bounded, with the
// API key redacted from what is kept.
class HttpJournal : public QObject
{
    Q_OBJECT

public:
    struct Entry
    {
        qint64 id = 0;
        QDateTime started;
        QByteArray method;
        QUrl url;
        QList<QPair<QByteArray, QByteArray>> requestHeaders; // Authorization redacted
        QByteArray requestBody;
        int status = 0; // 0: no reply
        QString error;
        QString requestId;
        qint64 elapsedMs = 0;
        QByteArray responseBody;
    };

    explicit HttpJournal(QObject *parent = nullptr);

    void setCapacity(int entries) { m_capacity = entries; }
    qint64 append(Entry entry);
    const QList<Entry> &entries() const { return m_entries; }
    void clear();

    // The entry as a curl command line. The key is never printed: it reads $OW_AUTH, so the
    // line can be pasted after `export OW_AUTH=uuid:key`.
    static QString toCurl(const Entry &entry);
    // What the journal keeps of a body: at most this many bytes.
    static constexpr qsizetype maxBodyBytes = 64 * 1024;

Q_SIGNALS:
    void entryAdded(const Feedscope::HttpJournal::Entry &entry);

private:
    QList<Entry> m_entries;
    int m_capacity = 1000;
    qint64 m_nextId = 1;
};

} // namespace Feedscope
