// SPDX-License-Identifier: GPL-3.0-or-later
#include "feedstore.h"

#include "core/ids.h"
#include "store/database.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QSqlError>

namespace Feedscope::Engine {

namespace {

QJsonObject object(const QVariant &text)
{
    return QJsonDocument::fromJson(text.toByteArray()).object();
}

QByteArray text(const QJsonObject &o)
{
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

FeedRecord recordFrom(const QSqlQuery &q)
{
    return FeedRecord{q.value(0).toString(),
                      q.value(1).toString(),
                      q.value(2).toString(),
                      object(q.value(3)),
                      object(q.value(4)),
                      object(q.value(5))};
}

} // namespace

QJsonObject feedStatus(bool active, const QJsonObject &reason)
{
    const qint64 now = nowMs();
    QJsonObject status{
        {QStringLiteral("active"), active},
        {QStringLiteral("dateChanged"), now},
        {QStringLiteral("dateChangedISO"),
         QDateTime::fromMSecsSinceEpoch(now, Qt::UTC).toString(Qt::ISODateWithMs)},
    };
    if (!reason.isEmpty())
        status.insert(QStringLiteral("reason"), reason);
    return status;
}

FeedStore::FeedStore(Database &db)
    : m_db(db)
{}

QList<FeedRecord> FeedStore::all()
{
    QList<FeedRecord> result;
    QSqlQuery &q = m_db.query(
        QStringLiteral("SELECT provider, trigger, api_key, config, status, state FROM feeds"));
    if (!q.exec())
        return result;
    while (q.next())
        result.append(recordFrom(q));
    q.finish();
    return result;
}

std::optional<FeedRecord> FeedStore::find(const QString &provider, const QString &trigger)
{
    QSqlQuery &q
        = m_db.query(QStringLiteral("SELECT provider, trigger, api_key, config, status,"
                                    " state FROM feeds WHERE provider = ? AND trigger = ?"));
    q.addBindValue(provider);
    q.addBindValue(trigger);
    if (!q.exec() || !q.next())
        return std::nullopt;
    FeedRecord record = recordFrom(q);
    q.finish();
    return record;
}

bool FeedStore::put(const FeedRecord &r)
{
    m_db.beginWrite();
    QSqlQuery &q = m_db.query(QStringLiteral(
        "INSERT OR REPLACE INTO feeds(provider, trigger, api_key, config, status, state)"
        " VALUES(?, ?, ?, ?, ?, ?)"));
    q.addBindValue(r.provider);
    q.addBindValue(r.trigger);
    q.addBindValue(r.apiKey);
    q.addBindValue(text(r.config));
    q.addBindValue(text(r.status));
    q.addBindValue(text(r.state));
    if (!q.exec()) {
        qWarning("feedscope-engine: cannot store feed: %s", qPrintable(q.lastError().text()));
        return false;
    }
    return true;
}

bool FeedStore::remove(const QString &provider, const QString &trigger)
{
    m_db.beginWrite();
    QSqlQuery &q
        = m_db.query(QStringLiteral("DELETE FROM feeds WHERE provider = ? AND trigger = ?"));
    q.addBindValue(provider);
    q.addBindValue(trigger);
    return q.exec();
}

} // namespace Feedscope::Engine
