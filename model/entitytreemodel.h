// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "entities.h"

#include <QAbstractItemModel>
#include <QHash>
#include <QSet>

#include <memory>
#include <vector>

namespace Feedscope {

struct Finding;
struct Tombstone;

// What the explorer shows of one entity: the fields of a list result it needs, no more.
struct ExplorerEntry
{
    enum class Kind { Package, Binding, Action, Trigger, Rule };

    Kind kind = Kind::Action;
    QString name;     // "x", or "pkg/x" for an action in a package
    QString execKind; // actions: "nodejs:20", "sequence", "blackbox"
    QString version;
    QString bindingTarget; // bindings: "/whisk.system/alarms"
    QString feed;          // triggers: the `feed` annotation
    QString ruleTrigger;   // rules: "/guest/t"
    QString ruleAction;
    QString description;     // the `description` annotation
    bool feedAction = false; // actions with a `feed` annotation
    bool published = false;
    bool placeholder = false; // a package member known by name only (a binding's target)

    static ExplorerEntry fromAction(const Action &action, const QString &package = {});
    static ExplorerEntry fromPackage(const Package &package);
    static ExplorerEntry fromTrigger(const Trigger &trigger);
    static ExplorerEntry fromRule(const Rule &rule);

    friend bool operator==(const ExplorerEntry &, const ExplorerEntry &) = default;
};

// The health of a feed-backed trigger, from its feed's READ (PROTOCOL.md 3.6).
struct FeedHealth
{
    enum class State { Unknown, Active, Paused, AutoDisabled, Unreadable };
    State state = State::Unknown;
    QString reason; // the provider's reason, or why READ failed
};

// What was seen happening to an entity (ActivityPoller).
struct EntityActivity
{
    int count = 0;       // trigger fires, or action runs
    int errors = 0;      // action runs that did not succeed
    qint64 lastMs = 0;   // start of the newest activation, ms since the epoch
    int lastStatus = -1; // action runs: 0 success, 1 application error, 2 developer error, 3
                         // system error
};

// The explorer's tree (DESIGN.md "Workspace models"): namespace → Packages / Actions / Triggers
// / Rules groups → entities; packages and bindings → their actions and feeds, fetched when
// expanded (fetchMore() emits packageContentsWanted()). QtCore only: roles are semantic and
// widgets/ turns them into icons, colours and badges.
//
// Entities are set a whole collection at a time (setEntities) and merged with what is shown:
// rows are inserted, removed and changed in place, so a refresh keeps the view's expansion and
// selection. Everything else — rule status, feed health, findings, tombstones, soft pauses,
// activity — is keyed by name and survives refreshes. Children are kept sorted by name.
class EntityTreeModel : public QAbstractItemModel
{
    Q_OBJECT

public:
    enum class NodeKind { Namespace, Group, Package, Binding, Action, Trigger, Rule, Member };
    Q_ENUM(NodeKind)
    enum class Group { Packages, Actions, Triggers, Rules };
    Q_ENUM(Group)

    enum Badge {
        NoBadge = 0,
        FeedBadge = 0x1,         // trigger with a feed; action that is a feed action
        PausedBadge = 0x2,       // feed paused at the provider
        SoftPausedBadge = 0x4,   // rules disabled because the feed has no PAUSE
        AutoDisabledBadge = 0x8, // the provider disabled the feed (BadgeReasonRole says why)
        OrphanedBadge = 0x10,    // the orphan scan found a problem (BadgeReasonRole)
        InactiveBadge = 0x20,    // inactive rule
        TombstoneBadge = 0x40,   // a feed DELETE (or other feed work) is still owed
        UnreadableBadge = 0x80,  // the feed's READ failed
        SequenceBadge = 0x100,
        BindingBadge = 0x200,
    };
    Q_DECLARE_FLAGS(Badges, Badge)

    enum Role {
        NodeKindRole = Qt::UserRole + 1, // NodeKind
        GroupRole,                       // Group (group nodes and entities)
        NameRole,                        // "x" / "pkg/x"; the namespace's name
        QualifiedNameRole,               // "/ns/x" / "/ns/pkg/x"
        DetailRole,         // one line: "nodejs:20 · 0.0.3", "→ /whisk.system/alarms"
        BadgesRole,         // Badges as int
        BadgeReasonRole,    // why: auto-disable reason, orphan problem, owed work
        FeedRole,           // triggers: the feed action; actions: bool feed action
        RuleActiveRole,     // rules: true / false, invalid while unknown
        ActivityCountRole,  // int
        ActivityErrorsRole, // int
        LastActivityRole,   // qint64 ms since the epoch (0: none seen)
        LastStatusRole,     // int, -1 unknown
        LoadingRole,        // group nodes: bool
        ErrorRole,          // group nodes: why loading failed
        DeletedRole,        // triggers: bool, deleted but shown while a tombstone owes its feed
                            // work (a feed DELETE pending)
    };

    explicit EntityTreeModel(QObject *parent = nullptr);
    ~EntityTreeModel() override;

    // The namespace shown at the root ("guest"); clears everything when it changes.
    void setNamespace(const QString &ns);
    QString ns() const;
    void clear();

    // One whole collection (PROTOCOL.md 1.4 list results), merged with what is shown.
    void setEntities(Group group, const QList<ExplorerEntry> &entries);
    void setGroupLoading(Group group, bool loading);
    void setGroupError(Group group, const QString &error);
    // The actions and feeds of a package or binding (named "pkg").
    void setPackageMembers(const QString &package, const QList<ExplorerEntry> &members);

    void setRuleActive(const QString &rule, bool active); // rule "r1" of this namespace
    void setFeedHealth(const QString &trigger, const FeedHealth &health);
    FeedHealth feedHealth(const QString &trigger) const;
    // Findings of an orphan scan (entity names "/ns/x" of this namespace), replacing earlier ones.
    void setFindings(const QList<Finding> &findings);
    // Triggers of this namespace with a tombstone are badged; deleted ones stay listed (as
    // placeholders, DeletedRole) until their owed feed work is done.
    void setTombstones(const QList<Tombstone> &tombstones);
    void setSoftPaused(const QSet<QString> &triggers); // "t"
    void setActivity(Group group, const QString &name, const EntityActivity &activity);
    EntityActivity activity(Group group, const QString &name) const;

    QModelIndex groupIndex(Group group) const;
    QModelIndex indexOf(Group group, const QString &name) const;
    QModelIndex memberIndex(const QString &package, const QString &name) const;
    int entityCount(Group group) const;
    QList<ExplorerEntry> entries(Group group) const;
    const ExplorerEntry *entry(const QModelIndex &index) const;
    static QString groupTitle(Group group);

    // QAbstractItemModel
    QModelIndex index(int row, int column, const QModelIndex &parent = {}) const override;
    QModelIndex parent(const QModelIndex &child) const override;
    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    bool hasChildren(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;
    bool canFetchMore(const QModelIndex &parent) const override;
    void fetchMore(const QModelIndex &parent) override;

Q_SIGNALS:
    // A package was expanded for the first time: its members should be listed.
    void packageContentsWanted(const QString &package, bool isBinding);

private:
    struct Node;
    void rebuild(const QString &ns);
    Node *nodeOf(const QModelIndex &index) const;
    QModelIndex indexOfNode(const Node *node, int column = 0) const;
    Node *groupNode(Group group) const;
    void mergeChildren(Node *parent, QList<ExplorerEntry> entries, bool members);
    void entityChanged(Group group, const QString &name);
    void allEntitiesChanged(Group group);
    void mergeTriggers();
    Badges badgesOf(const Node &node) const;
    QString reasonOf(const Node &node) const;
    QString detailOf(const Node &node) const;
    QString qualified(const QString &name) const;

    std::unique_ptr<Node> m_root; // the namespace node's parent (invisible)
    QHash<QString, bool> m_ruleActive;
    QHash<QString, FeedHealth> m_feedHealth;
    QHash<QString, QString> m_findings;       // "x" → problem
    QHash<QString, QString> m_tombstones;     // trigger "t" → owed work
    QHash<QString, QString> m_tombstoneFeeds; // trigger "t" → its feed
    QList<ExplorerEntry> m_listedTriggers;    // the last trigger listing, without placeholders
    QSet<QString> m_softPaused;
    QHash<QString, EntityActivity> m_activity; // "<group>/<name>"
};

Q_DECLARE_OPERATORS_FOR_FLAGS(EntityTreeModel::Badges)

} // namespace Feedscope
