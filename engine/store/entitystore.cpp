// SPDX-License-Identifier: GPL-3.0-or-later
#include "entitystore.h"

#include "database.h"

#include <QJsonDocument>
#include <QSqlError>

#include <algorithm>

namespace Feedscope::Engine {

QString collectionName(Collection collection)
{
    switch (collection) {
    case Collection::Actions: return QStringLiteral("actions");
    case Collection::Packages: return QStringLiteral("packages");
    case Collection::Triggers: return QStringLiteral("triggers");
    case Collection::Rules: return QStringLiteral("rules");
    }
    return {};
}

namespace {

std::optional<Collection> collectionFromName(const QString &name)
{
    for (Collection c :
         {Collection::Actions, Collection::Packages, Collection::Triggers, Collection::Rules}) {
        if (collectionName(c) == name)
            return c;
    }
    return std::nullopt;
}

QString rootNamespace(const QString &docId)
{
    return docId.section(u'/', 0, 0);
}

} // namespace

QString Entity::path() const
{
    return doc.value(QLatin1String("namespace")).toString();
}

QString Entity::name() const
{
    return doc.value(QLatin1String("name")).toString();
}

qint64 Entity::updated() const
{
    return doc.value(QLatin1String("updated")).toInteger();
}

EntityStore::EntityStore(Database &db)
    : m_db(db)
{}

bool EntityStore::load(QString *error)
{
    m_entities.clear();
    m_subjectsByUuid.clear();
    QSqlQuery q(m_db.connection());
    if (!q.exec(QStringLiteral("SELECT subject, namespace, uuid, key FROM subjects"))) {
        *error = q.lastError().text();
        return false;
    }
    while (q.next()) {
        Identity id{q.value(0).toString(),
                    q.value(1).toString(),
                    q.value(2).toString(),
                    q.value(3).toString()};
        m_subjectsByUuid.insert(id.uuid, id);
    }
    if (!q.exec(QStringLiteral("SELECT docid, collection, doc FROM entities"))) {
        *error = q.lastError().text();
        return false;
    }
    while (q.next()) {
        const auto collection = collectionFromName(q.value(1).toString());
        const QJsonObject doc = QJsonDocument::fromJson(q.value(2).toByteArray()).object();
        if (!collection || doc.isEmpty()) {
            qWarning("feedscope-engine: skipping unreadable entity %s",
                     qPrintable(q.value(0).toString()));
            continue;
        }
        const QString docId = q.value(0).toString();
        Entity entity{*collection, docId, doc};
        entity.storedPath = entity.path();
        entity.storedUpdated = entity.updated();
        m_entities.insert(docId, std::move(entity));
    }
    return true;
}

void EntityStore::setSubject(const Identity &identity)
{
    const auto current = m_subjectsByUuid.constFind(identity.uuid);
    if (current != m_subjectsByUuid.cend() && current->ns == identity.ns
        && current->key == identity.key && current->subject == identity.subject) {
        return;
    }
    // The table's key is the namespace: the row is replaced, so drop its old identity too.
    m_subjectsByUuid.removeIf([&](const auto &entry) { return entry.value().ns == identity.ns; });
    m_db.beginWrite();
    QSqlQuery &q = m_db.query(QStringLiteral(
        "INSERT OR REPLACE INTO subjects(subject, namespace, uuid, key) VALUES(?, ?, ?, ?)"));
    q.addBindValue(identity.subject);
    q.addBindValue(identity.ns);
    q.addBindValue(identity.uuid);
    q.addBindValue(identity.key);
    if (!q.exec())
        qWarning("feedscope-engine: cannot store subject: %s", qPrintable(q.lastError().text()));
    m_subjectsByUuid.insert(identity.uuid, identity);
}

std::optional<Identity> EntityStore::subjectByUuid(const QString &uuid) const
{
    const auto it = m_subjectsByUuid.constFind(uuid);
    if (it == m_subjectsByUuid.cend())
        return std::nullopt;
    return *it;
}

const Entity *EntityStore::find(const QString &docId) const
{
    const auto it = m_entities.constFind(docId);
    return it == m_entities.cend() ? nullptr : &it.value();
}

QList<const Entity *> EntityStore::list(Collection collection, const QString &path) const
{
    QList<const Entity *> result;
    for (const Entity &e : m_entities) {
        if (e.collection == collection && e.storedPath == path)
            result.append(&e);
    }
    std::sort(result.begin(), result.end(), [](const Entity *a, const Entity *b) {
        return a->storedUpdated != b->storedUpdated ? a->storedUpdated > b->storedUpdated
                                                    : a->docId < b->docId;
    });
    return result;
}

QList<const Entity *> EntityStore::listUnder(Collection collection, const QString &path) const
{
    QList<const Entity *> result;
    const QString below = path + u'/';
    for (const Entity &e : m_entities) {
        if (e.collection == collection && (e.storedPath == path || e.storedPath.startsWith(below)))
            result.append(&e);
    }
    std::sort(result.begin(), result.end(), [](const Entity *a, const Entity *b) {
        return a->storedUpdated != b->storedUpdated ? a->storedUpdated > b->storedUpdated
                                                    : a->docId < b->docId;
    });
    return result;
}

int EntityStore::countInPath(const QString &path) const
{
    return int(std::count_if(m_entities.cbegin(), m_entities.cend(), [&](const Entity &e) {
        return e.storedPath == path;
    }));
}

bool EntityStore::put(Entity entity)
{
    m_db.beginWrite();
    QSqlQuery &q = m_db.query(QStringLiteral(
        "INSERT OR REPLACE INTO entities(docid, collection, root_namespace, updated, doc)"
        " VALUES(?, ?, ?, ?, ?)"));
    q.addBindValue(entity.docId);
    q.addBindValue(collectionName(entity.collection));
    q.addBindValue(rootNamespace(entity.docId));
    q.addBindValue(entity.updated());
    q.addBindValue(QJsonDocument(entity.doc).toJson(QJsonDocument::Compact));
    if (!q.exec()) {
        qWarning("feedscope-engine: cannot store entity: %s", qPrintable(q.lastError().text()));
        return false;
    }
    const QString docId = entity.docId;
    entity.storedPath = entity.path();
    entity.storedUpdated = entity.updated();
    m_entities.insert(docId, std::move(entity));
    return true;
}

bool EntityStore::remove(const QString &id)
{
    const QString docId = id; // `id` may live inside the entity being removed
    m_db.beginWrite();
    QSqlQuery &q = m_db.query(QStringLiteral("DELETE FROM entities WHERE docid = ?"));
    q.addBindValue(docId);
    if (!q.exec()) {
        qWarning("feedscope-engine: cannot delete entity: %s", qPrintable(q.lastError().text()));
        return false;
    }
    m_entities.remove(docId);
    return true;
}

} // namespace Feedscope::Engine
