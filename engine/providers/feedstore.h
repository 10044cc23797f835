// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QJsonObject>
#include <QList>
#include <QString>

#include <optional>

namespace Feedscope::Engine {

class Database;

// One feed of a built-in provider: which trigger it fires, with whose key, how it is configured,
// whether it is active (and why not), and the provider's progress (last fired seq / event id).
struct FeedRecord
{
    QString provider; // "alarms", "changes", "sse"
    QString trigger;  // "ns/name"
    QString apiKey;   // the owner's "uuid:key", used to fire
    QJsonObject config;
    QJsonObject status; // {active, dateChanged, reason?{kind, statusCode?, message}}
    QJsonObject state;

    QString ns() const { return trigger.section(u'/', 0, 0); }
    QString name() const { return trigger.section(u'/', 1); }
    bool isActive() const { return status.value(QLatin1String("active")).toBool(); }
};

// Provider state in SQLite, written in the engine's group-commit batch; survives restarts.
class FeedStore
{
public:
    explicit FeedStore(Database &db);

    QList<FeedRecord> all();
    std::optional<FeedRecord> find(const QString &provider, const QString &trigger);
    bool put(const FeedRecord &record);
    bool remove(const QString &provider, const QString &trigger);

private:
    Database &m_db;
};

// {active, dateChanged, dateChangedISO[, reason]} as the providers report it (PROTOCOL.md 3.6).
QJsonObject feedStatus(bool active, const QJsonObject &reason = {});

} // namespace Feedscope::Engine
