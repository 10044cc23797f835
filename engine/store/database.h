// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QObject>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTimer>

#include <functional>
#include <vector>

namespace Feedscope::Engine {

enum class Durability {
    Process, // WAL + synchronous=NORMAL: a committed write survives a crash of the engine
    Full     // WAL + synchronous=FULL: it also survives a crash of the machine
};

// The engine's SQLite database (QtSql, WAL) and its group commit.
//
// Writers call beginWrite() and run their statements; all writes of one event-loop turn share
// one transaction, committed when control returns to the event loop (or sooner when a batch
// grows large). Replies that acknowledge a write are queued with afterCommit() and are sent only
// once the commit succeeded, so a 2xx always means "on disk" while many requests share one
// commit under load.
class Database : public QObject
{
    Q_OBJECT

public:
    static constexpr int schemaVersion = 4;

    explicit Database(QObject *parent = nullptr);
    ~Database() override;

    // Opens (creating if needed) `directory`/feedscope.db and migrates the schema.
    bool open(const QString &directory, Durability durability, QString *error);
    void close();
    // When the previous run last committed (epoch ms, 0 for a new database), read at open().
    qint64 lastWriteBeforeOpen() const { return m_lastWriteBeforeOpen; }

    QSqlDatabase connection() const { return m_db; }
    // A cached prepared statement for `sql`.
    QSqlQuery &query(const QString &sql);

    // Ensures the batch transaction is open; call before any write statement.
    void beginWrite();
    // Runs `done(committed)` after the current batch is committed, or at once (true) when no
    // write is pending.
    void afterCommit(std::function<void(bool committed)> done);
    // Commits the open batch now (also called on shutdown).
    void commit();
    bool hasPendingWrites() const { return m_inTransaction; }

    // Called after each commit, with the outcome; stores use it to reload state on failure.
    std::function<void(bool committed)> onCommitted;

private:
    bool migrate(QString *error);

    QString m_connectionName;
    QSqlDatabase m_db;
    QHash<QString, QSqlQuery> m_statements;
    QTimer m_commitTimer;
    bool m_inTransaction = false;
    int m_batchWrites = 0;
    qint64 m_lastWriteBeforeOpen = 0;
    std::vector<std::function<void(bool)>> m_waiting;
};

} // namespace Feedscope::Engine
