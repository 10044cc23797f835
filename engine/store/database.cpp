// SPDX-License-Identifier: GPL-3.0-or-later
#include "database.h"

#include <QDateTime>
#include <QDir>
#include <QFileInfo>
#include <QSqlError>
#include <QUuid>

namespace Feedscope::Engine {

namespace {

// Each entry migrates the schema from version i to i + 1. Append, never edit.
const QStringList migrations[] = {
    {
        QStringLiteral("CREATE TABLE subjects(subject TEXT NOT NULL, namespace TEXT PRIMARY KEY,"
                       " uuid TEXT NOT NULL UNIQUE, key TEXT NOT NULL)"),
        QStringLiteral(
            "CREATE TABLE entities(docid TEXT PRIMARY KEY, collection TEXT NOT NULL,"
            " root_namespace TEXT NOT NULL, updated INTEGER NOT NULL, doc TEXT NOT NULL)"),
        QStringLiteral("CREATE TABLE activations(seq INTEGER PRIMARY KEY AUTOINCREMENT,"
                       " activation_id TEXT NOT NULL UNIQUE, namespace TEXT NOT NULL,"
                       " name TEXT NOT NULL, package TEXT NOT NULL DEFAULT '',"
                       " start INTEGER NOT NULL, doc TEXT NOT NULL)"),
        QStringLiteral("CREATE INDEX activations_by_namespace ON activations(namespace, start)"),
        QStringLiteral("CREATE INDEX activations_by_name ON activations(namespace, name, start)"),
    },
    {
        // Feeds of the built-in providers (alarms, CouchDB changes, SSE), keyed by trigger.
        QStringLiteral("CREATE TABLE feeds(provider TEXT NOT NULL, trigger TEXT NOT NULL,"
                       " api_key TEXT NOT NULL, config TEXT NOT NULL, status TEXT NOT NULL,"
                       " state TEXT NOT NULL DEFAULT '{}', PRIMARY KEY(provider, trigger))"),
    },
    {
        // Activations accepted and not finished (PendingActivations), keyed by id.
        QStringLiteral("CREATE TABLE pending_activations(activation_id TEXT PRIMARY KEY,"
                       " doc TEXT NOT NULL)"),
    },
    {
        // Keyed by an increasing number instead: rows are added at the end of the table and
        // mostly removed in order, where a random id touched an index page anywhere for each
        // row. Bytes the engine wrote per fire with a rule (queue drained): 17.7 KB without the
        // table, 28 KB keyed by id, 22.5 KB keyed by number.
        QStringLiteral("ALTER TABLE pending_activations RENAME TO pending_activations_v3"),
        QStringLiteral("CREATE TABLE pending_activations(seq INTEGER PRIMARY KEY,"
                       " activation_id TEXT NOT NULL, doc TEXT NOT NULL)"),
        QStringLiteral("INSERT INTO pending_activations(activation_id, doc)"
                       " SELECT activation_id, doc FROM pending_activations_v3"),
        QStringLiteral("DROP TABLE pending_activations_v3"),
    },
};

// A batch is committed early once it holds this many writes, to bound commit latency.
constexpr int maxBatchWrites = 4000;

} // namespace

Database::Database(QObject *parent)
    : QObject(parent)
    , m_connectionName(QUuid::createUuid().toString())
{
    m_commitTimer.setSingleShot(true);
    m_commitTimer.setInterval(0);
    connect(&m_commitTimer, &QTimer::timeout, this, &Database::commit);
}

Database::~Database()
{
    close();
}

bool Database::open(const QString &directory, Durability durability, QString *error)
{
    if (!QDir().mkpath(directory)) {
        *error = QStringLiteral("cannot create the data directory %1").arg(directory);
        return false;
    }
    const QString file = QDir(directory).filePath(QStringLiteral("feedscope.db"));
    // Read before opening writes anything: the write-ahead log (or, after a clean close, the
    // database file) was last modified by the last commit of the previous run.
    for (const QString &path : {file, QString(file + QStringLiteral("-wal"))}) {
        const QFileInfo info(path);
        if (info.exists())
            m_lastWriteBeforeOpen
                = qMax(m_lastWriteBeforeOpen, info.lastModified().toMSecsSinceEpoch());
    }
    m_db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_connectionName);
    m_db.setDatabaseName(file);
    if (!m_db.open()) {
        *error = QStringLiteral("cannot open the database: %1").arg(m_db.lastError().text());
        return false;
    }
    QSqlQuery pragma(m_db);
    const QString sync
        = durability == Durability::Full ? QStringLiteral("FULL") : QStringLiteral("NORMAL");
    for (const QString &statement :
         QStringList{QStringLiteral("PRAGMA journal_mode=WAL"),
                     QString(QStringLiteral("PRAGMA synchronous=") + sync),
                     QStringLiteral("PRAGMA busy_timeout=5000"),
                     QStringLiteral("PRAGMA foreign_keys=ON")}) {
        if (!pragma.exec(statement)) {
            *error = QStringLiteral("cannot configure the database: %1")
                         .arg(pragma.lastError().text());
            return false;
        }
    }
    return migrate(error);
}

void Database::close()
{
    if (!m_db.isValid())
        return;
    commit();
    m_statements.clear();
    m_db.close();
    m_db = QSqlDatabase();
    QSqlDatabase::removeDatabase(m_connectionName);
}

bool Database::migrate(QString *error)
{
    QSqlQuery q(m_db);
    q.exec(QStringLiteral("PRAGMA user_version"));
    const int current = q.next() ? q.value(0).toInt() : 0;
    if (current > schemaVersion) {
        *error = QStringLiteral("the database has schema version %1, newer than this engine's %2")
                     .arg(current)
                     .arg(schemaVersion);
        return false;
    }
    for (int version = current; version < schemaVersion; ++version) {
        m_db.transaction();
        for (const QString &statement : migrations[version]) {
            if (!q.exec(statement)) {
                *error = QStringLiteral("schema migration %1 failed: %2")
                             .arg(version + 1)
                             .arg(q.lastError().text());
                m_db.rollback();
                return false;
            }
        }
        q.exec(QStringLiteral("PRAGMA user_version=%1").arg(version + 1));
        if (!m_db.commit()) {
            *error = QStringLiteral("schema migration %1 failed to commit").arg(version + 1);
            return false;
        }
    }
    return true;
}

QSqlQuery &Database::query(const QString &sql)
{
    auto it = m_statements.find(sql);
    if (it == m_statements.end()) {
        QSqlQuery q(m_db);
        q.prepare(sql);
        it = m_statements.insert(sql, q);
    }
    return it.value();
}

void Database::beginWrite()
{
    if (!m_inTransaction) {
        m_db.transaction();
        m_inTransaction = true;
        m_batchWrites = 0;
        m_commitTimer.start();
    }
    if (++m_batchWrites >= maxBatchWrites)
        QMetaObject::invokeMethod(this, &Database::commit, Qt::QueuedConnection);
}

void Database::afterCommit(std::function<void(bool)> done)
{
    if (!m_inTransaction) {
        done(true);
        return;
    }
    m_waiting.push_back(std::move(done));
}

void Database::commit()
{
    if (!m_inTransaction)
        return;
    m_commitTimer.stop();
    m_inTransaction = false;
    const bool committed = m_db.commit();
    if (!committed) {
        qWarning("feedscope-engine: commit failed: %s", qPrintable(m_db.lastError().text()));
        m_db.rollback();
    }
    if (onCommitted)
        onCommitted(committed);
    auto waiting = std::move(m_waiting);
    m_waiting.clear();
    for (auto &done : waiting)
        done(committed);
}

} // namespace Feedscope::Engine
