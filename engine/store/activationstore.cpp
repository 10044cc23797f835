// SPDX-License-Identifier: GPL-3.0-or-later
#include "activationstore.h"

#include "database.h"

#include <QJsonDocument>
#include <QSqlError>

namespace Feedscope::Engine {

namespace {

// Prune in steps so a full store costs one range delete per step, not one per insert.
qint64 pruneStep(qint64 retention)
{
    return qMax<qint64>(1, retention / 20);
}

void bindQuery(QSqlQuery &q, const ActivationQuery &query)
{
    q.addBindValue(query.ns);
    if (!query.name.isEmpty()) {
        const qsizetype slash = query.name.indexOf(u'/');
        if (slash < 0) {
            q.addBindValue(query.name);
        } else {
            q.addBindValue(query.name.mid(slash + 1));
            q.addBindValue(query.name.left(slash));
        }
    }
    if (query.since > 0)
        q.addBindValue(query.since);
    if (query.upto > 0)
        q.addBindValue(query.upto);
}

} // namespace

ActivationStore::ActivationStore(Database &db, qint64 retention)
    : m_db(db)
    , m_retention(retention)
{}

bool ActivationStore::insert(const Activation &activation)
{
    m_db.beginWrite();
    QSqlQuery &q = m_db.query(QStringLiteral(
        "INSERT INTO activations(activation_id, namespace, name, package, start, doc)"
        " VALUES(?, ?, ?, ?, ?, ?)"));
    q.addBindValue(activation.activationId);
    q.addBindValue(activation.ns);
    q.addBindValue(activation.name);
    q.addBindValue(activation.package.isEmpty() ? QStringLiteral("") : activation.package);
    q.addBindValue(activation.start);
    q.addBindValue(QJsonDocument(activation.toStoredJson()).toJson(QJsonDocument::Compact));
    if (!q.exec()) {
        qWarning("feedscope-engine: cannot store activation: %s", qPrintable(q.lastError().text()));
        return false;
    }
    if (++m_insertsSincePrune >= pruneStep(m_retention))
        prune();
    if (onInserted)
        onInserted(activation);
    return true;
}

void ActivationStore::prune()
{
    m_insertsSincePrune = 0;
    QSqlQuery &q = m_db.query(QStringLiteral(
        "DELETE FROM activations WHERE seq <= (SELECT MAX(seq) FROM activations) - ?"));
    q.addBindValue(m_retention);
    if (!q.exec())
        qWarning("feedscope-engine: cannot prune activations: %s",
                 qPrintable(q.lastError().text()));
}

std::optional<Activation> ActivationStore::get(const QString &ns, const QString &activationId)
{
    QSqlQuery &q = m_db.query(
        QStringLiteral("SELECT doc FROM activations WHERE activation_id = ? AND namespace = ?"));
    q.addBindValue(activationId);
    q.addBindValue(ns);
    if (!q.exec() || !q.next())
        return std::nullopt;
    Activation a
        = Activation::fromStoredJson(QJsonDocument::fromJson(q.value(0).toByteArray()).object());
    q.finish();
    return a;
}

QString ActivationStore::whereClause(const ActivationQuery &query) const
{
    QString where = QStringLiteral(" WHERE namespace = ?");
    if (!query.name.isEmpty()) {
        // "name" matches activations of that name outside any package; "pkg/name" those of
        // the package (or binding) it was invoked through, as the controller's filter view.
        where += query.name.contains(u'/') ? QStringLiteral(" AND name = ? AND package = ?")
                                           : QStringLiteral(" AND name = ? AND package = ''");
    }
    if (query.since > 0)
        where += QStringLiteral(" AND start >= ?");
    if (query.upto > 0)
        where += QStringLiteral(" AND start <= ?");
    return where;
}

QList<Activation> ActivationStore::list(const ActivationQuery &query)
{
    QSqlQuery &q = m_db.query(QStringLiteral("SELECT doc FROM activations") + whereClause(query)
                              + QStringLiteral(" ORDER BY start DESC, seq DESC LIMIT ? OFFSET ?"));
    bindQuery(q, query);
    q.addBindValue(query.limit);
    q.addBindValue(query.skip);
    QList<Activation> result;
    if (!q.exec()) {
        qWarning("feedscope-engine: activation query failed: %s", qPrintable(q.lastError().text()));
        return result;
    }
    while (q.next()) {
        result.append(
            Activation::fromStoredJson(QJsonDocument::fromJson(q.value(0).toByteArray()).object()));
    }
    q.finish();
    return result;
}

qint64 ActivationStore::count(const ActivationQuery &query)
{
    QSqlQuery &q
        = m_db.query(QStringLiteral("SELECT COUNT(*) FROM activations") + whereClause(query));
    bindQuery(q, query);
    qint64 n = 0;
    if (q.exec() && q.next())
        n = q.value(0).toLongLong();
    q.finish();
    return n;
}

} // namespace Feedscope::Engine
