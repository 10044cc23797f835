// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/identity.h"

#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QString>

#include <optional>

namespace Feedscope::Engine {

class Database;

enum class Collection { Actions, Packages, Triggers, Rules };

QString collectionName(Collection collection);

// One stored entity: its full document as the controller would return it (PROTOCOL.md 1.6-1.9),
// keyed like the controller's document id: "ns/name" or "ns/pkg/name".
struct Entity
{
    Entity() = default;
    Entity(Collection collection, QString docId, QJsonObject doc)
        : collection(collection)
        , docId(std::move(docId))
        , doc(std::move(doc))
    {}

    Collection collection = Collection::Actions;
    QString docId;
    QJsonObject doc;

    QString path() const; // the document's "namespace" field: "ns" or "ns/pkg"
    QString name() const;
    qint64 updated() const;

    // path() and updated() as of the last store, so that listing a collection of thousands
    // reads no JSON: a list of 200 from 10,000 entities went from ~100 ms to ~1 ms.
    QString storedPath;
    qint64 storedUpdated = 0;
};

// All entities and subjects, held in memory for fast reads and written through to SQLite in
// the current group-commit batch. Entities of one namespace share one name space across
// collections, as in the controller's single entity database.
class EntityStore
{
public:
    explicit EntityStore(Database &db);

    bool load(QString *error);

    // Subjects (users), one per namespace. Makes `identity` the namespace's only subject: the
    // engine sets guest and whisk.system this way at every start (the well-known keys, or the
    // user's from --keys), so keys from an earlier start stop working.
    void setSubject(const Identity &identity);
    std::optional<Identity> subjectByUuid(const QString &uuid) const;

    const Entity *find(const QString &docId) const;
    // Entities of one collection whose "namespace" field equals `path`, newest first.
    QList<const Entity *> list(Collection collection, const QString &path) const;
    // The same for `path` and everything below it ("ns" and "ns/pkg"), newest first.
    QList<const Entity *> listUnder(Collection collection, const QString &path) const;
    // Number of entities whose path is `path` (a package's contents).
    int countInPath(const QString &path) const;

    // Both write in the current batch; false (and nothing changed) if the statement failed.
    bool put(Entity entity);
    bool remove(const QString &docId);

private:
    Database &m_db;
    QHash<QString, Entity> m_entities;
    QHash<QString, Identity> m_subjectsByUuid;
};

} // namespace Feedscope::Engine
