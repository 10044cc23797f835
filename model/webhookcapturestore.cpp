// SPDX-License-Identifier: GPL-3.0-or-later
#include "webhookcapturestore.h"

#include <QDataStream>
#include <QDir>
#include <QFileInfo>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>

namespace Feedscope {

namespace {

constexpr int schemaVersion = 1;

QByteArray encodeHeaders(const HttpHeaderList &headers)
{
    QByteArray blob;
    QDataStream out(&blob, QIODevice::WriteOnly);
    out.setVersion(QDataStream::Qt_6_0);
    out << headers;
    return blob;
}

HttpHeaderList decodeHeaders(const QByteArray &blob)
{
    HttpHeaderList headers;
    QDataStream in(blob);
    in.setVersion(QDataStream::Qt_6_0);
    in >> headers;
    return in.status() == QDataStream::Ok ? headers : HttpHeaderList{};
}

// A BLOB column must be bound as a QByteArray that is not null, or SQLite stores NULL.
QVariant blob(const QByteArray &bytes)
{
    return bytes.isNull() ? QVariant(QByteArray("")) : QVariant(bytes);
}

} // namespace

WebhookCaptureStore::WebhookCaptureStore(QString path)
    : m_path(std::move(path))
    , m_connection(QStringLiteral("feedscope-webhooks-%1").arg(quintptr(this), 0, 16))
{}

WebhookCaptureStore::~WebhookCaptureStore()
{
    close();
}

void WebhookCaptureStore::report(const QString &what, const QString &error)
{
    Q_EMIT failed(tr("Webhook captures (%1): %2 failed: %3").arg(m_path, what, error));
}

bool WebhookCaptureStore::exec(const QString &statement)
{
    QSqlQuery query(QSqlDatabase::database(m_connection, false));
    if (query.exec(statement))
        return true;
    report(statement.section(u' ', 0, 1), query.lastError().text());
    return false;
}

void WebhookCaptureStore::open()
{
    QDir().mkpath(QFileInfo(m_path).absolutePath());
    QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_connection);
    db.setDatabaseName(m_path);
    if (!db.open()) {
        report(tr("opening"), db.lastError().text());
        Q_EMIT loaded({});
        return;
    }
    m_open = true;
    // WAL + NORMAL: a commit is a sequential append, and a crash of the app loses nothing that
    // was committed; the relay commits in batches, so this is not per delivery anyway.
    exec(QStringLiteral("PRAGMA journal_mode=WAL"));
    exec(QStringLiteral("PRAGMA synchronous=NORMAL"));
    exec(QStringLiteral("CREATE TABLE IF NOT EXISTS captures ("
                        "id INTEGER PRIMARY KEY, trigger TEXT NOT NULL, source TEXT NOT NULL, "
                        "replay_of INTEGER, received_ms INTEGER NOT NULL, method BLOB, path BLOB, "
                        "query BLOB, headers BLOB, body BLOB, status INTEGER, forwarded INTEGER, "
                        "activation_id TEXT, error TEXT, response BLOB, response_type BLOB, "
                        "forward_us INTEGER)"));
    exec(QStringLiteral("PRAGMA user_version=%1").arg(schemaVersion));

    QList<WebhookCapture> captures;
    QSqlQuery query(db);
    query.setForwardOnly(true);
    if (!query.exec(QStringLiteral(
            "SELECT id, trigger, source, replay_of, received_ms, method, path, query, headers, "
            "body, status, forwarded, activation_id, error, response, response_type, forward_us "
            "FROM captures ORDER BY id"))) {
        report(tr("reading"), query.lastError().text());
    }
    while (query.next()) {
        WebhookCapture c;
        c.id = query.value(0).toLongLong();
        c.request.trigger = query.value(1).toString();
        c.source = WebhookCapture::sourceFromName(query.value(2).toString());
        c.replayOf = query.value(3).toLongLong();
        c.receivedAt = QDateTime::fromMSecsSinceEpoch(query.value(4).toLongLong(), Qt::UTC);
        c.request.method = query.value(5).toByteArray();
        c.request.path = query.value(6).toByteArray();
        c.request.query = query.value(7).toByteArray();
        c.request.headers = decodeHeaders(query.value(8).toByteArray());
        c.request.body = query.value(9).toByteArray();
        c.status = query.value(10).toInt();
        c.forwarded = query.value(11).toBool();
        c.activationId = query.value(12).toString();
        c.error = query.value(13).toString();
        c.response = query.value(14).toByteArray();
        c.responseType = query.value(15).toByteArray();
        c.forwardMicros = query.value(16).toLongLong();
        if (c.status == 0) {
            // Stored while its forward was in flight: whatever the API did, nobody heard it.
            c.status = 502;
            c.error = tr("The relay stopped before the trigger's API answered.");
        }
        captures.append(std::move(c));
    }
    Q_EMIT loaded(captures);
}

void WebhookCaptureStore::apply(const WebhookCaptureBatch &batch)
{
    if (!m_open || batch.isEmpty())
        return;
    QSqlDatabase db = QSqlDatabase::database(m_connection, false);
    if (!db.transaction()) {
        report(tr("starting a transaction"), db.lastError().text());
        return;
    }
    QSqlQuery query(db);
    if (batch.clearAll)
        query.exec(QStringLiteral("DELETE FROM captures"));
    if (batch.removeUpTo > 0) {
        query.prepare(QStringLiteral("DELETE FROM captures WHERE id <= ?"));
        query.addBindValue(batch.removeUpTo);
        query.exec();
    }
    if (!batch.removed.isEmpty()) {
        query.prepare(QStringLiteral("DELETE FROM captures WHERE id = ?"));
        for (qint64 id : batch.removed) {
            query.addBindValue(id);
            query.exec();
        }
    }
    query.prepare(QStringLiteral(
        "INSERT OR REPLACE INTO captures (id, trigger, source, replay_of, received_ms, method, "
        "path, query, headers, body, status, forwarded, activation_id, error, response, "
        "response_type, forward_us) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
    for (const WebhookCapture &c : batch.upserts) {
        query.addBindValue(c.id);
        query.addBindValue(c.request.trigger);
        query.addBindValue(WebhookCapture::sourceName(c.source));
        query.addBindValue(c.replayOf);
        query.addBindValue(c.receivedAt.toMSecsSinceEpoch());
        query.addBindValue(blob(c.request.method));
        query.addBindValue(blob(c.request.path));
        query.addBindValue(blob(c.request.query));
        query.addBindValue(blob(encodeHeaders(c.request.headers)));
        query.addBindValue(blob(c.request.body));
        query.addBindValue(c.status);
        query.addBindValue(c.forwarded ? 1 : 0);
        query.addBindValue(c.activationId);
        query.addBindValue(c.error);
        query.addBindValue(blob(c.response));
        query.addBindValue(blob(c.responseType));
        query.addBindValue(c.forwardMicros);
        if (!query.exec()) {
            report(tr("saving a capture"), query.lastError().text());
            break;
        }
    }
    if (!db.commit()) {
        report(tr("committing"), db.lastError().text());
        db.rollback();
    }
}

void WebhookCaptureStore::close()
{
    if (!QSqlDatabase::contains(m_connection))
        return;
    {
        QSqlDatabase db = QSqlDatabase::database(m_connection, false);
        db.close();
    }
    QSqlDatabase::removeDatabase(m_connection);
    m_open = false;
}

} // namespace Feedscope
