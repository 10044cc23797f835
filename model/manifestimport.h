// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "blueprints.h"
#include "result.h"

#include <QList>
#include <QObject>
#include <QString>
#include <QStringList>

#include <functional>
#include <optional>

namespace Feedscope {

class Operation;
class Session;

// One entity of an imported manifest, compared with what the namespace holds.
struct ImportItem
{
    enum class Change {
        Create,    // absent: will be created
        Update,    // present and different: will be changed
        Unchanged, // present and equal: left alone
        Refused,   // present and different in a way import does not change (see `reason`)
    };

    PlannedEntity entity;
    std::optional<PlannedEntity> existing;
    Change change = Change::Create;
    QStringList differences; // Update: what differs ("code", "parameters", "feed cron")
    QString reason;          // Refused: why

    static QString changeName(Change change); // "create", "update", "unchanged", "refused"
};

// wskdeploy manifests into a namespace, previewed before anything is sent (issue F): compare()
// reads each entity the manifest names and sorts it into create / update / unchanged / refused;
// apply() then runs one Operation (STYLE.md 14): the new entities through the BlueprintDeployer
// (rolled back on failure), then each change — a PUT with overwrite, or a feed trigger's UPDATE
// through its feed — each undone, newest first, if a later step fails.
namespace ManifestImport {

void compare(Session *session,
             const QList<PlannedEntity> &entities,
             QObject *context,
             std::function<void(Result<QList<ImportItem>>)> done);

// Null when nothing is to be done. Refused items block the whole import: the caller shows why.
Operation *apply(Session *session, const QList<ImportItem> &items);

// Whether the existing entity already is what the manifest asks for, and if not, what differs.
// Feed parameters compare by the manifest's keys only: providers add their own to a READ.
QStringList
differences(const PlannedEntity &wanted, const PlannedEntity &existing, const QString &ns);

} // namespace ManifestImport

} // namespace Feedscope
