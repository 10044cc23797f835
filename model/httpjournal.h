// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QDateTime>
#include <QList>
#include <QObject>
#include <QPair>
#include <QUrl>

namespace Feedscope {

// Every request the client sent and what came back, for the HTTP log panel: bounded, with keys
// redacted from what is kept — the Authorization header, every JSON member named like a key
// (`authKey`, which feed lifecycle bodies carry, `api_key`, `__OW_API_KEY`) and any text equal to
// a secret the caller names (the key itself, or its Base64 form in a Basic header). Models follow
// it through the signals: each change is announced before and after it happens.
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
        bool background = false; // sent by the app on its own (polling, pings), not by the user
    };

    explicit HttpJournal(QObject *parent = nullptr);

    // At most about this many entries are kept (up to a tenth more between batch trims).
    void setCapacity(int entries);
    int capacity() const { return m_capacity; }
    // Records `entry` with every key and every text of `secrets` redacted.
    qint64 append(Entry entry, const QList<QByteArray> &secrets = {});
    const QList<Entry> &entries() const { return m_entries; }
    void clear();

    // The entry as a curl command line. The key is never printed: it reads $OW_AUTH, so the
    // line can be pasted after `export OW_AUTH=uuid:key` (a redacted `authKey` in the body
    // becomes "$OW_AUTH" too).
    static QString toCurl(const Entry &entry);
    // What the journal keeps of a body: at most this many bytes.
    static constexpr qsizetype maxBodyBytes = 64 * 1024;
    // What a redacted value reads as.
    static inline const QByteArray redacted = "***";
    // `body` with the values of key-like JSON members and the `secrets` replaced by "***".
    static QByteArray redact(const QByteArray &body, const QList<QByteArray> &secrets);

Q_SIGNALS:
    void entryAdded(const Feedscope::HttpJournal::Entry &entry);
    // The oldest `count` entries go (capacity reached).
    void entriesAboutToBeRemoved(int count);
    void entriesRemoved(int count);
    void aboutToBeCleared();
    void cleared();

private:
    void trim(bool exact);

    QList<Entry> m_entries;
    int m_capacity = 1000;
    qint64 m_nextId = 1;
};

} // namespace Feedscope
