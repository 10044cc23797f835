// SPDX-License-Identifier: GPL-3.0-or-later
#include "entityref.h"

#include <QCoreApplication>

namespace Feedscope::Ui {

std::optional<EntityRef> EntityRef::fromIndex(const QModelIndex &index)
{
    if (!index.isValid())
        return std::nullopt;
    const QModelIndex first = index.siblingAtColumn(0);
    const auto kind = first.data(EntityTreeModel::NodeKindRole).value<EntityTreeModel::NodeKind>();
    const QString name = first.data(EntityTreeModel::NameRole).toString();
    switch (kind) {
    case EntityTreeModel::NodeKind::Package: return EntityRef{ExplorerEntry::Kind::Package, name};
    case EntityTreeModel::NodeKind::Binding: return EntityRef{ExplorerEntry::Kind::Binding, name};
    case EntityTreeModel::NodeKind::Action:
    case EntityTreeModel::NodeKind::Member: return EntityRef{ExplorerEntry::Kind::Action, name};
    case EntityTreeModel::NodeKind::Trigger: return EntityRef{ExplorerEntry::Kind::Trigger, name};
    case EntityTreeModel::NodeKind::Rule: return EntityRef{ExplorerEntry::Kind::Rule, name};
    default: return std::nullopt;
    }
}

QString EntityRef::kindName(ExplorerEntry::Kind kind)
{
    switch (kind) {
    case ExplorerEntry::Kind::Package: return QCoreApplication::translate("EntityRef", "package");
    case ExplorerEntry::Kind::Binding: return QCoreApplication::translate("EntityRef", "binding");
    case ExplorerEntry::Kind::Action: return QCoreApplication::translate("EntityRef", "action");
    case ExplorerEntry::Kind::Trigger: return QCoreApplication::translate("EntityRef", "trigger");
    case ExplorerEntry::Kind::Rule: return QCoreApplication::translate("EntityRef", "rule");
    }
    return {};
}

QString EntityRef::kindTitle(ExplorerEntry::Kind kind)
{
    QString title = kindName(kind);
    if (!title.isEmpty())
        title[0] = title[0].toUpper();
    return title;
}

} // namespace Feedscope::Ui
