// SPDX-License-Identifier: GPL-3.0-or-later
#include "entitytreemodel.h"

#include "lifecyclejournal.h"
#include "orphanscan.h"

#include <QDateTime>

#include <algorithm>

namespace Feedscope {

namespace {

constexpr int columns = 2; // name, activity

QString annotationText(const KeyValueList &annotations, const QString &key)
{
    const QJsonValue v = annotations.value(key);
    return v.isString() ? v.toString() : QString();
}

// The order of children: case-insensitive by name, then exact (so the order is total).
bool nameLess(const QString &a, const QString &b)
{
    const int folded = a.compare(b, Qt::CaseInsensitive);
    return folded != 0 ? folded < 0 : a < b;
}

QString activityKey(EntityTreeModel::Group group, const QString &name)
{
    return QString::number(int(group)) + u'/' + name;
}

// "/guest/t" or "/guest/pkg/x" of namespace `ns` → "t" / "pkg/x"; other namespaces → as given.
QString relativeTo(const QString &ns, const QString &qualified)
{
    const QString prefix = u'/' + ns + u'/';
    if (qualified.startsWith(prefix))
        return qualified.mid(prefix.size());
    if (qualified.startsWith(QLatin1String("/_/")))
        return qualified.mid(3);
    return qualified;
}

QString agoText(qint64 ms)
{
    const qint64 seconds = qMax<qint64>(0, (QDateTime::currentMSecsSinceEpoch() - ms) / 1000);
    if (seconds < 60)
        return QStringLiteral("%1 s ago").arg(seconds);
    if (seconds < 3600)
        return QStringLiteral("%1 min ago").arg(seconds / 60);
    return QStringLiteral("%1 h ago").arg(seconds / 3600);
}

} // namespace

// ---------------------------------------------------------------------------------------------
// ExplorerEntry

ExplorerEntry ExplorerEntry::fromAction(const Action &action, const QString &package)
{
    ExplorerEntry e;
    e.kind = Kind::Action;
    e.name = package.isEmpty() ? action.name : package + u'/' + action.name;
    e.execKind = action.kind;
    if (e.execKind.isEmpty()) // list results keep the kind in an annotation (PROTOCOL.md 1.6)
        e.execKind = annotationText(action.annotations, QStringLiteral("exec"));
    e.version = action.version;
    e.feedAction = action.isFeed();
    e.published = action.publish;
    e.description = annotationText(action.annotations, QStringLiteral("description"));
    return e;
}

ExplorerEntry ExplorerEntry::fromPackage(const Package &package)
{
    ExplorerEntry e;
    e.kind = package.isBinding() ? Kind::Binding : Kind::Package;
    e.name = package.name;
    e.version = package.version;
    e.published = package.publish;
    if (package.isBinding())
        e.bindingTarget = u'/' + package.bindingNamespace + u'/' + package.bindingName;
    e.description = annotationText(package.annotations, QStringLiteral("description"));
    return e;
}

ExplorerEntry ExplorerEntry::fromTrigger(const Trigger &trigger)
{
    ExplorerEntry e;
    e.kind = Kind::Trigger;
    e.name = trigger.name;
    e.version = trigger.version;
    e.feed = trigger.feed();
    e.published = trigger.publish;
    e.description = annotationText(trigger.annotations, QStringLiteral("description"));
    return e;
}

ExplorerEntry ExplorerEntry::fromRule(const Rule &rule)
{
    ExplorerEntry e;
    e.kind = Kind::Rule;
    e.name = rule.name;
    e.version = rule.version;
    e.ruleTrigger = rule.trigger;
    e.ruleAction = rule.action;
    e.published = rule.publish;
    return e;
}

// ---------------------------------------------------------------------------------------------
// Nodes

struct EntityTreeModel::Node
{
    NodeKind kind = NodeKind::Group;
    Group group = Group::Packages;
    QString name;
    ExplorerEntry entry;
    Node *parent = nullptr;
    int row = 0;
    std::vector<std::unique_ptr<Node>> children;
    // groups
    bool loading = false;
    QString error;
    // packages and bindings
    bool membersRequested = false;
    bool membersKnown = false;

    Node *add(std::unique_ptr<Node> child, int at)
    {
        child->parent = this;
        Node *raw = child.get();
        children.insert(children.begin() + at, std::move(child));
        renumber(at);
        return raw;
    }
    void renumber(int from)
    {
        for (int i = from; i < int(children.size()); ++i)
            children[size_t(i)]->row = i;
    }
    // The row of the child named `name`, or where it would go.
    int lowerBound(const QString &name) const
    {
        const auto it = std::lower_bound(
            children.begin(),
            children.end(),
            name,
            [](const std::unique_ptr<Node> &n, const QString &v) { return nameLess(n->name, v); });
        return int(it - children.begin());
    }
    Node *find(const QString &name) const
    {
        const int at = lowerBound(name);
        return at < int(children.size()) && children[size_t(at)]->name == name
                   ? children[size_t(at)].get()
                   : nullptr;
    }
};

namespace {

EntityTreeModel::NodeKind nodeKindOf(const ExplorerEntry &e, bool member)
{
    if (member)
        return EntityTreeModel::NodeKind::Member;
    switch (e.kind) {
    case ExplorerEntry::Kind::Package: return EntityTreeModel::NodeKind::Package;
    case ExplorerEntry::Kind::Binding: return EntityTreeModel::NodeKind::Binding;
    case ExplorerEntry::Kind::Action: return EntityTreeModel::NodeKind::Action;
    case ExplorerEntry::Kind::Trigger: return EntityTreeModel::NodeKind::Trigger;
    case ExplorerEntry::Kind::Rule: return EntityTreeModel::NodeKind::Rule;
    }
    return EntityTreeModel::NodeKind::Action;
}

} // namespace

EntityTreeModel::EntityTreeModel(QObject *parent)
    : QAbstractItemModel(parent)
    , m_root(std::make_unique<Node>())
{
    setNamespace(QStringLiteral("_"));
}

EntityTreeModel::~EntityTreeModel() = default;

QString EntityTreeModel::groupTitle(Group group)
{
    switch (group) {
    case Group::Packages: return tr("Packages");
    case Group::Actions: return tr("Actions");
    case Group::Triggers: return tr("Triggers");
    case Group::Rules: return tr("Rules");
    }
    return {};
}

void EntityTreeModel::setNamespace(const QString &ns)
{
    if (!m_root->children.empty() && m_root->children.front()->name == ns)
        return;
    rebuild(ns);
}

void EntityTreeModel::rebuild(const QString &ns)
{
    beginResetModel();
    m_root->children.clear();
    auto nsNode = std::make_unique<Node>();
    nsNode->kind = NodeKind::Namespace;
    nsNode->name = ns;
    for (Group g : {Group::Packages, Group::Actions, Group::Triggers, Group::Rules}) {
        auto groupNode = std::make_unique<Node>();
        groupNode->kind = NodeKind::Group;
        groupNode->group = g;
        groupNode->name = groupTitle(g);
        nsNode->add(std::move(groupNode), int(nsNode->children.size()));
    }
    m_root->add(std::move(nsNode), 0);
    m_ruleActive.clear();
    m_feedHealth.clear();
    m_findings.clear();
    m_tombstones.clear();
    m_tombstoneFeeds.clear();
    m_listedTriggers.clear();
    m_softPaused.clear();
    m_activity.clear();
    endResetModel();
}

QString EntityTreeModel::ns() const
{
    return m_root->children.empty() ? QString() : m_root->children.front()->name;
}

void EntityTreeModel::clear()
{
    rebuild(ns());
}

EntityTreeModel::Node *EntityTreeModel::groupNode(Group group) const
{
    return m_root->children.front()->children[size_t(group)].get();
}

EntityTreeModel::Node *EntityTreeModel::nodeOf(const QModelIndex &index) const
{
    return index.isValid() ? static_cast<Node *>(index.internalPointer()) : m_root.get();
}

QModelIndex EntityTreeModel::indexOfNode(const Node *node, int column) const
{
    if (!node || node == m_root.get())
        return {};
    return createIndex(node->row, column, const_cast<Node *>(node));
}

QModelIndex EntityTreeModel::groupIndex(Group group) const
{
    return indexOfNode(groupNode(group));
}

QModelIndex EntityTreeModel::indexOf(Group group, const QString &name) const
{
    return indexOfNode(groupNode(group)->find(name));
}

QModelIndex EntityTreeModel::memberIndex(const QString &package, const QString &name) const
{
    const Node *pkg = groupNode(Group::Packages)->find(package);
    return pkg ? indexOfNode(pkg->find(package + u'/' + name)) : QModelIndex();
}

int EntityTreeModel::entityCount(Group group) const
{
    return int(groupNode(group)->children.size());
}

QList<ExplorerEntry> EntityTreeModel::entries(Group group) const
{
    QList<ExplorerEntry> list;
    for (const auto &child : groupNode(group)->children) {
        if (!child->entry.placeholder) // a deleted trigger kept for its tombstone
            list.append(child->entry);
    }
    return list;
}

const ExplorerEntry *EntityTreeModel::entry(const QModelIndex &index) const
{
    const Node *node = index.isValid() ? nodeOf(index) : nullptr;
    if (!node || node->kind == NodeKind::Group || node->kind == NodeKind::Namespace)
        return nullptr;
    return &node->entry;
}

void EntityTreeModel::setEntities(Group group, const QList<ExplorerEntry> &entries)
{
    Node *g = groupNode(group);
    if (group == Group::Triggers) {
        m_listedTriggers = entries;
        mergeTriggers();
    } else {
        mergeChildren(g, entries, false);
    }
    g->error.clear();
    const QModelIndex gi = indexOfNode(g);
    Q_EMIT dataChanged(gi, gi.siblingAtColumn(columns - 1));
}

void EntityTreeModel::setGroupLoading(Group group, bool loading)
{
    Node *g = groupNode(group);
    if (g->loading == loading)
        return;
    g->loading = loading;
    const QModelIndex gi = indexOfNode(g);
    Q_EMIT dataChanged(gi, gi.siblingAtColumn(columns - 1));
}

void EntityTreeModel::setGroupError(Group group, const QString &error)
{
    Node *g = groupNode(group);
    g->error = error;
    g->loading = false;
    const QModelIndex gi = indexOfNode(g);
    Q_EMIT dataChanged(gi, gi.siblingAtColumn(columns - 1));
}

void EntityTreeModel::setPackageMembers(const QString &package, const QList<ExplorerEntry> &members)
{
    Node *pkg = groupNode(Group::Packages)->find(package);
    if (!pkg)
        return;
    QList<ExplorerEntry> named = members;
    for (ExplorerEntry &m : named) {
        if (!m.name.startsWith(package + u'/'))
            m.name = package + u'/' + m.name;
    }
    pkg->membersRequested = true;
    pkg->membersKnown = true;
    mergeChildren(pkg, named, true);
    const QModelIndex pi = indexOfNode(pkg);
    Q_EMIT dataChanged(pi, pi.siblingAtColumn(columns - 1));
}

void EntityTreeModel::mergeChildren(Node *parent, QList<ExplorerEntry> entries, bool members)
{
    std::sort(entries.begin(), entries.end(), [](const ExplorerEntry &a, const ExplorerEntry &b) {
        return nameLess(a.name, b.name);
    });
    // Duplicates (a listing that moved under paging) would break the order: keep the first.
    entries.erase(std::unique(entries.begin(),
                              entries.end(),
                              [](const ExplorerEntry &a, const ExplorerEntry &b) {
                                  return a.name == b.name;
                              }),
                  entries.end());
    const QModelIndex parentIndex = indexOfNode(parent);

    // 1. Remove the rows that are gone, as contiguous ranges from the end.
    QSet<QString> wanted;
    wanted.reserve(entries.size());
    for (const ExplorerEntry &e : std::as_const(entries))
        wanted.insert(e.name);
    int end = int(parent->children.size()) - 1;
    while (end >= 0) {
        if (wanted.contains(parent->children[size_t(end)]->name)) {
            --end;
            continue;
        }
        int start = end;
        while (start > 0 && !wanted.contains(parent->children[size_t(start - 1)]->name))
            --start;
        beginRemoveRows(parentIndex, start, end);
        parent->children.erase(parent->children.begin() + start,
                               parent->children.begin() + end + 1);
        parent->renumber(start);
        endRemoveRows();
        end = start - 1;
    }

    // 2. Merge: every remaining child is among `entries`, both sorted.
    int row = 0;
    qsizetype i = 0;
    while (i < entries.size()) {
        const bool atEnd = row >= int(parent->children.size());
        if (!atEnd && parent->children[size_t(row)]->name == entries.at(i).name) {
            Node *node = parent->children[size_t(row)].get();
            const NodeKind kind = nodeKindOf(entries.at(i), members);
            if (!(node->entry == entries.at(i)) || node->kind != kind) {
                if (node->kind != kind && !node->children.empty()) {
                    // A package became a binding (or back): its members are not the same.
                    beginRemoveRows(indexOfNode(node), 0, int(node->children.size()) - 1);
                    node->children.clear();
                    endRemoveRows();
                    node->membersKnown = node->membersRequested = false;
                }
                node->entry = entries.at(i);
                node->kind = kind;
                const QModelIndex ni = indexOfNode(node);
                Q_EMIT dataChanged(ni, ni.siblingAtColumn(columns - 1));
            }
            ++row;
            ++i;
            continue;
        }
        // A run of new entries that sort before the current child (or after the last one).
        qsizetype runEnd = i;
        while (runEnd < entries.size()
               && (atEnd || nameLess(entries.at(runEnd).name, parent->children[size_t(row)]->name)))
            ++runEnd;
        const int count = int(runEnd - i);
        beginInsertRows(parentIndex, row, row + count - 1);
        std::vector<std::unique_ptr<Node>> fresh;
        fresh.reserve(size_t(count));
        for (qsizetype k = i; k < runEnd; ++k) {
            auto node = std::make_unique<Node>();
            node->entry = entries.at(k);
            node->name = node->entry.name;
            node->kind = nodeKindOf(node->entry, members);
            node->group = members ? Group::Actions : parent->group;
            node->parent = parent;
            fresh.push_back(std::move(node));
        }
        parent->children.insert(parent->children.begin() + row,
                                std::make_move_iterator(fresh.begin()),
                                std::make_move_iterator(fresh.end()));
        parent->renumber(row);
        endInsertRows();
        row += count;
        i = runEnd;
    }
}

void EntityTreeModel::entityChanged(Group group, const QString &name)
{
    const QModelIndex index = indexOf(group, name);
    if (index.isValid())
        Q_EMIT dataChanged(index, index.siblingAtColumn(columns - 1));
}

void EntityTreeModel::allEntitiesChanged(Group group)
{
    const Node *g = groupNode(group);
    if (g->children.empty())
        return;
    // Qt 6 walks a dataChanged range row by row anyway; one signal for the whole group keeps
    // the view's work to the visible rows (STYLE.md 7).
    Q_EMIT dataChanged(indexOfNode(g->children.front().get()),
                       indexOfNode(g->children.back().get(), columns - 1));
}

void EntityTreeModel::setRuleActive(const QString &rule, bool active)
{
    const auto it = m_ruleActive.constFind(rule);
    if (it != m_ruleActive.cend() && *it == active)
        return;
    m_ruleActive.insert(rule, active);
    entityChanged(Group::Rules, rule);
}

void EntityTreeModel::setFeedHealth(const QString &trigger, const FeedHealth &health)
{
    m_feedHealth.insert(trigger, health);
    entityChanged(Group::Triggers, trigger);
}

FeedHealth EntityTreeModel::feedHealth(const QString &trigger) const
{
    return m_feedHealth.value(trigger);
}

void EntityTreeModel::setFindings(const QList<Finding> &findings)
{
    m_findings.clear();
    for (const Finding &f : findings) {
        if (f.kind == Finding::Kind::ScanIncomplete || f.kind == Finding::Kind::Tombstone)
            continue;
        m_findings.insert(relativeTo(ns(), f.entity), f.problem);
    }
    allEntitiesChanged(Group::Triggers);
    allEntitiesChanged(Group::Rules);
    allEntitiesChanged(Group::Actions);
}

void EntityTreeModel::setTombstones(const QList<Tombstone> &tombstones)
{
    m_tombstones.clear();
    m_tombstoneFeeds.clear();
    for (const Tombstone &t : tombstones) {
        const QString name = relativeTo(ns(), t.trigger);
        m_tombstones.insert(name, t.describe());
        m_tombstoneFeeds.insert(name, t.feed);
    }
    mergeTriggers();
    allEntitiesChanged(Group::Triggers);
}

void EntityTreeModel::mergeTriggers()
{
    QList<ExplorerEntry> entries = m_listedTriggers;
    QSet<QString> listed;
    for (const ExplorerEntry &e : std::as_const(entries))
        listed.insert(e.name);
    // A trigger deleted while its feed's DELETE failed: the user sees it until the provider
    // has forgotten it too, instead of the provider's state vanishing from view.
    for (auto it = m_tombstoneFeeds.cbegin(); it != m_tombstoneFeeds.cend(); ++it) {
        if (listed.contains(it.key()) || it.key().contains(u'/'))
            continue;
        ExplorerEntry ghost;
        ghost.kind = ExplorerEntry::Kind::Trigger;
        ghost.name = it.key();
        ghost.feed = it.value();
        ghost.placeholder = true;
        entries.append(ghost);
    }
    mergeChildren(groupNode(Group::Triggers), entries, false);
}

void EntityTreeModel::setSoftPaused(const QSet<QString> &triggers)
{
    if (triggers == m_softPaused)
        return;
    m_softPaused = triggers;
    allEntitiesChanged(Group::Triggers);
}

void EntityTreeModel::setActivity(Group group, const QString &name, const EntityActivity &activity)
{
    m_activity.insert(activityKey(group, name), activity);
    if (group == Group::Actions && name.contains(u'/')) {
        const QModelIndex index = memberIndex(name.section(u'/', 0, 0), name.section(u'/', 1));
        if (index.isValid())
            Q_EMIT dataChanged(index, index.siblingAtColumn(columns - 1));
        return;
    }
    entityChanged(group, name);
}

EntityActivity EntityTreeModel::activity(Group group, const QString &name) const
{
    return m_activity.value(activityKey(group, name));
}

// ---------------------------------------------------------------------------------------------
// QAbstractItemModel

QVariant EntityTreeModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    return section == 0 ? tr("Name") : tr("Activity");
}

QModelIndex EntityTreeModel::index(int row, int column, const QModelIndex &parent) const
{
    if (column < 0 || column >= columns || (parent.isValid() && parent.column() != 0))
        return {};
    const Node *p = nodeOf(parent);
    if (row < 0 || row >= int(p->children.size()))
        return {};
    return createIndex(row, column, p->children[size_t(row)].get());
}

QModelIndex EntityTreeModel::parent(const QModelIndex &child) const
{
    if (!child.isValid())
        return {};
    const Node *node = nodeOf(child);
    return indexOfNode(node->parent);
}

int EntityTreeModel::rowCount(const QModelIndex &parent) const
{
    if (parent.isValid() && parent.column() != 0)
        return 0;
    return int(nodeOf(parent)->children.size());
}

int EntityTreeModel::columnCount(const QModelIndex &) const
{
    return columns;
}

bool EntityTreeModel::hasChildren(const QModelIndex &parent) const
{
    if (parent.isValid() && parent.column() != 0)
        return false;
    const Node *node = nodeOf(parent);
    if (node->kind == NodeKind::Package || node->kind == NodeKind::Binding)
        return !node->membersKnown || !node->children.empty();
    return !node->children.empty();
}

bool EntityTreeModel::canFetchMore(const QModelIndex &parent) const
{
    if (!parent.isValid() || parent.column() != 0)
        return false;
    const Node *node = nodeOf(parent);
    return (node->kind == NodeKind::Package || node->kind == NodeKind::Binding)
           && !node->membersRequested;
}

void EntityTreeModel::fetchMore(const QModelIndex &parent)
{
    if (!canFetchMore(parent))
        return;
    Node *node = nodeOf(parent);
    node->membersRequested = true;
    Q_EMIT packageContentsWanted(node->name, node->kind == NodeKind::Binding);
}

QString EntityTreeModel::qualified(const QString &name) const
{
    return u'/' + ns() + u'/' + name;
}

EntityTreeModel::Badges EntityTreeModel::badgesOf(const Node &node) const
{
    Badges badges;
    const ExplorerEntry &e = node.entry;
    switch (node.kind) {
    case NodeKind::Trigger: {
        // A deleted trigger kept for its tombstone shows that and only that (a READ answered
        // after its deletion says nothing more).
        if (e.placeholder) {
            badges |= TombstoneBadge;
            break;
        }
        if (!e.feed.isEmpty())
            badges |= FeedBadge;
        switch (m_feedHealth.value(node.name).state) {
        case FeedHealth::State::Paused: badges |= PausedBadge; break;
        case FeedHealth::State::AutoDisabled: badges |= AutoDisabledBadge; break;
        case FeedHealth::State::Unreadable: badges |= UnreadableBadge; break;
        default: break;
        }
        if (m_softPaused.contains(node.name))
            badges |= SoftPausedBadge;
        if (m_tombstones.contains(node.name))
            badges |= TombstoneBadge;
        break;
    }
    case NodeKind::Action:
    case NodeKind::Member:
        if (e.feedAction)
            badges |= FeedBadge;
        if (e.execKind == u"sequence")
            badges |= SequenceBadge;
        break;
    case NodeKind::Binding: badges |= BindingBadge; break;
    case NodeKind::Rule:
        if (m_ruleActive.value(node.name, true) == false)
            badges |= InactiveBadge;
        break;
    default: break;
    }
    if (node.kind != NodeKind::Group && node.kind != NodeKind::Namespace
        && m_findings.contains(node.name))
        badges |= OrphanedBadge;
    return badges;
}

QString EntityTreeModel::reasonOf(const Node &node) const
{
    QStringList reasons;
    if (node.kind == NodeKind::Trigger) {
        const FeedHealth health = m_feedHealth.value(node.name);
        switch (health.state) {
        case FeedHealth::State::Paused:
            reasons << tr("Feed paused%1")
                           .arg(health.reason.isEmpty() ? QString()
                                                        : QStringLiteral(": ") + health.reason);
            break;
        case FeedHealth::State::AutoDisabled:
            reasons << tr("Disabled by the provider: %1").arg(health.reason);
            break;
        case FeedHealth::State::Unreadable:
            reasons << tr("The feed's READ failed: %1").arg(health.reason);
            break;
        default: break;
        }
        if (m_softPaused.contains(node.name))
            reasons << tr("Soft-paused: its rules are disabled; events still arrive, nothing runs");
        if (m_tombstones.contains(node.name))
            reasons << m_tombstones.value(node.name);
    }
    if (m_findings.contains(node.name))
        reasons << m_findings.value(node.name);
    return reasons.join(u'\n');
}

QString EntityTreeModel::detailOf(const Node &node) const
{
    const ExplorerEntry &e = node.entry;
    switch (node.kind) {
    case NodeKind::Action:
    case NodeKind::Member:
        if (e.placeholder)
            return e.feedAction ? tr("feed") : tr("action");
        return e.version.isEmpty() ? e.execKind : e.execKind + QStringLiteral(" · ") + e.version;
    case NodeKind::Binding: return QStringLiteral("→ ") + e.bindingTarget;
    case NodeKind::Package: return e.description;
    case NodeKind::Trigger:
        if (e.placeholder)
            return tr("deleted · feed %1 still to be told").arg(e.feed);
        return e.feed.isEmpty() ? QString() : tr("feed %1").arg(e.feed);
    case NodeKind::Rule:
        return relativeTo(ns(), e.ruleTrigger) + QStringLiteral(" → ")
               + relativeTo(ns(), e.ruleAction);
    default: return {};
    }
}

QVariant EntityTreeModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid())
        return {};
    const Node &node = *nodeOf(index);
    const bool entity = node.kind != NodeKind::Group && node.kind != NodeKind::Namespace;
    const Group activityGroup = node.kind == NodeKind::Member ? Group::Actions : node.group;
    switch (role) {
    case Qt::DisplayRole:
        if (index.column() == 1) {
            if (!entity)
                return {};
            const EntityActivity a = m_activity.value(activityKey(activityGroup, node.name));
            if (a.count == 0)
                return {};
            QString text = node.kind == NodeKind::Trigger
                               ? tr("%1 fired").arg(a.count)
                               : (a.count == 1 ? tr("1 run") : tr("%1 runs").arg(a.count));
            if (a.errors > 0)
                text += QStringLiteral(" · ") + tr("%1 failed").arg(a.errors);
            return QString(text + QStringLiteral(" · ") + agoText(a.lastMs));
        }
        switch (node.kind) {
        case NodeKind::Group:
            if (!node.error.isEmpty())
                return tr("%1 (not loaded)").arg(node.name);
            if (node.loading && node.children.empty())
                return tr("%1 (loading…)").arg(node.name);
            return QStringLiteral("%1 (%2)").arg(node.name).arg(node.children.size());
        case NodeKind::Member: return node.name.section(u'/', 1);
        default: return node.name;
        }
    case Qt::ToolTipRole: {
        if (node.kind == NodeKind::Group)
            return node.error;
        QStringList lines{entity ? qualified(node.name) : node.name};
        const QString detail = detailOf(node);
        if (!detail.isEmpty())
            lines << detail;
        if (!node.entry.description.isEmpty() && node.entry.description != detail)
            lines << node.entry.description;
        const QString reason = reasonOf(node);
        if (!reason.isEmpty())
            lines << reason;
        return lines.join(u'\n');
    }
    case Qt::AccessibleTextRole: {
        if (!entity)
            return data(index, Qt::DisplayRole);
        QString text = node.name;
        const QString detail = detailOf(node);
        if (!detail.isEmpty())
            text += QStringLiteral(", ") + detail;
        const QString reason = reasonOf(node);
        if (!reason.isEmpty())
            text += QStringLiteral(", ") + reason;
        return text;
    }
    case NodeKindRole: return QVariant::fromValue(node.kind);
    case GroupRole: return QVariant::fromValue(activityGroup);
    case NameRole: return node.name;
    case QualifiedNameRole: return entity ? qualified(node.name) : QString();
    case DetailRole: return detailOf(node);
    case BadgesRole: return int(badgesOf(node));
    case BadgeReasonRole: return reasonOf(node);
    case FeedRole:
        if (node.kind == NodeKind::Trigger)
            return node.entry.feed;
        return node.entry.feedAction;
    case RuleActiveRole:
        if (node.kind != NodeKind::Rule || !m_ruleActive.contains(node.name))
            return {};
        return m_ruleActive.value(node.name);
    case ActivityCountRole: return m_activity.value(activityKey(activityGroup, node.name)).count;
    case ActivityErrorsRole: return m_activity.value(activityKey(activityGroup, node.name)).errors;
    case LastActivityRole: return m_activity.value(activityKey(activityGroup, node.name)).lastMs;
    case LastStatusRole: return m_activity.value(activityKey(activityGroup, node.name)).lastStatus;
    case LoadingRole: return node.loading;
    case ErrorRole: return node.error;
    case DeletedRole: return node.kind == NodeKind::Trigger && node.entry.placeholder;
    }
    return {};
}

} // namespace Feedscope
