// SPDX-License-Identifier: GPL-3.0-or-later
#include "packageeditor.h"

#include "common/jsonfield.h"
#include "common/messagebar.h"
#include "feedparameters.h"
#include "session.h"

#include <QButtonGroup>
#include <QCheckBox>
#include <QComboBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QRadioButton>
#include <QTabWidget>
#include <QTableWidget>

namespace Feedscope::Ui {

PackageEditor::PackageEditor(Session *session, const EntityRef &entity, QWidget *parent)
    : EntityEditor(session, entity, parent)
    , m_plain(new QRadioButton(tr("&Package: holds actions"), this))
    , m_binding(new QRadioButton(tr("&Binding: another package with parameters bound"), this))
    , m_target(new QComboBox(this))
    , m_targetMessage(new MessageBar(this))
    , m_publish(new QCheckBox(tr("&Published (readable from other namespaces)"), this))
    , m_parameters(new JsonField(this))
    , m_annotations(new JsonField(this))
    , m_merged(new QTableWidget(this))
{
    name(m_plain, QStringLiteral("plainPackageRadio"), tr("Plain package"));
    name(m_binding, QStringLiteral("bindingRadio"), tr("Package binding"));
    auto *group = new QButtonGroup(this);
    group->addButton(m_plain);
    group->addButton(m_binding);
    auto *modes = new QWidget(this);
    auto *modesLayout = new QVBoxLayout(modes);
    modesLayout->setContentsMargins(0, 0, 0, 0);
    modesLayout->addWidget(m_plain);
    modesLayout->addWidget(m_binding);
    form()->addRow(tr("Type:"), modes);
    (entity.kind == ExplorerEntry::Kind::Binding ? m_binding : m_plain)->setChecked(true);

    name(m_target, QStringLiteral("targetCombo"), tr("Target package of the binding"));
    m_target->setEditable(true);
    m_target->lineEdit()->setPlaceholderText(tr("/whisk.system/alarms"));
    if (session) {
        const QSignalBlocker block(m_target);
        for (const ExplorerEntry &p : session->tree()->entries(EntityTreeModel::Group::Packages)) {
            if (p.kind == ExplorerEntry::Kind::Package)
                m_target->addItem(u'/' + session->tree()->ns() + u'/' + p.name);
        }
        // The system's published packages: what bindings are usually made of.
        session->client()->listPackages(
            QStringLiteral("whisk.system"), 200, 0, this, [this](Result<QList<Package>> r) {
                if (!r)
                    return;
                const QSignalBlocker block(m_target); // filling the list is not an edit
                const QString current = m_target->currentText();
                for (const Package &p : *r) {
                    if (!p.isBinding())
                        m_target->addItem(QStringLiteral("/whisk.system/") + p.name);
                }
                m_target->setCurrentText(current);
            });
    }
    m_target->setCurrentText(QString());
    form()->addRow(tr("&Target:"), m_target);
    m_targetMessage->setObjectName(QStringLiteral("targetMessage"));
    form()->addRow(QString(), m_targetMessage);
    name(m_publish, QStringLiteral("publishCheck"), tr("Published"));
    form()->addRow(QString(), m_publish);

    auto *tabs = new QTabWidget(this);
    tabs->setObjectName(QStringLiteral("packageTabs"));
    m_parameters->setFieldName(QStringLiteral("parameters"), tr("Parameters (JSON)"));
    m_parameters->setPlaceholderText(
        tr("{\"serviceUrl\": \"http://…\"} — given to every action of the package"));
    auto *parametersPage = new QWidget(this);
    auto *parametersLayout = new QVBoxLayout(parametersPage);
    m_parametersNote
        = new QLabel(tr("OpenWhisk returns a binding's parameters merged with its package's: "
                        "saving binds all of them on the binding."),
                     parametersPage);
    m_parametersNote->setWordWrap(true);
    m_parametersNote->setObjectName(QStringLiteral("bindingParametersNote"));
    parametersLayout->addWidget(m_parametersNote);
    parametersLayout->addWidget(m_parameters, 1);
    tabs->addTab(parametersPage, tr("Parameters"));
    m_annotations->setFieldName(QStringLiteral("annotations"), tr("Annotations (JSON)"));
    m_annotations->setPlaceholderText(tr("{\"description\": \"…\"}"));
    tabs->addTab(m_annotations, tr("Annotations"));

    auto *mergedPage = new QWidget(this);
    auto *mergedLayout = new QVBoxLayout(mergedPage);
    auto *note
        = new QLabel(tr("What an action or feed of this package receives, lowest precedence first: "
                        "the target package's parameters, then the binding's, then the call's "
                        "(a feed call adds lifecycleEvent, triggerName and authKey)."),
                     mergedPage);
    note->setWordWrap(true);
    name(m_merged, QStringLiteral("mergedParameters"), tr("Merged parameters"));
    m_merged->setColumnCount(3);
    m_merged->setHorizontalHeaderLabels({tr("Parameter"), tr("Value"), tr("From")});
    m_merged->horizontalHeader()->setSectionResizeMode(1, QHeaderView::Stretch);
    m_merged->verticalHeader()->hide();
    m_merged->setEditTriggers(QAbstractItemView::NoEditTriggers);
    mergedLayout->addWidget(note);
    mergedLayout->addWidget(m_merged, 1);
    tabs->addTab(mergedPage, tr("Merged view"));
    body()->addWidget(tabs, 1);

    connect(m_binding, &QRadioButton::toggled, this, [this] {
        modeChanged();
        markDirty();
    });
    connect(m_target, &QComboBox::currentTextChanged, this, [this] {
        m_targetMessage->clearMessage();
        markDirty();
        loadTarget();
    });
    connect(m_publish, &QCheckBox::toggled, this, [this] { markDirty(); });
    connect(m_parameters, &JsonField::edited, this, [this] {
        markDirty();
        showMerged();
    });
    connect(m_annotations, &JsonField::edited, this, [this] { markDirty(); });
    modeChanged();
    if (!isNew()) {
        m_plain->setEnabled(false); // a package cannot become a binding (PROTOCOL.md 1.7)
        m_binding->setEnabled(false);
        load();
    }
}

void PackageEditor::modeChanged()
{
    const bool binding = m_binding->isChecked();
    m_target->setEnabled(binding && isNew());
    if (m_parametersNote)
        m_parametersNote->setVisible(binding && !isNew());
    showMerged();
}

void PackageEditor::loadTarget()
{
    m_targetParameters = {};
    const QString target = m_target->currentText().trimmed();
    if (!m_binding->isChecked() || target.isEmpty() || !session()) {
        showMerged();
        return;
    }
    const auto name = QualifiedName::parse(target);
    if (!name || !name->package.isEmpty()) {
        m_targetMessage->showError(tr("A target is /namespace/package."));
        showMerged();
        return;
    }
    session()->client()->getPackage(*name, this, [this, target](Result<Package> r) {
        if (m_target->currentText().trimmed() != target)
            return;
        if (!r) {
            m_targetMessage->showError(r.error().message);
        } else {
            m_targetParameters = r->parameters.toObject();
            m_targetMessage->clearMessage();
        }
        showMerged();
    });
}

void PackageEditor::showMerged()
{
    struct Row
    {
        QString key;
        QString value;
        QString from;
    };
    QList<Row> rows;
    const auto put = [&rows](const QString &key, const QString &value, const QString &from) {
        for (Row &row : rows) {
            if (row.key == key) {
                row.value = value;
                row.from = from;
                return;
            }
        }
        rows.append(Row{key, value, from});
    };
    if (m_binding->isChecked()) {
        for (auto it = m_targetParameters.begin(); it != m_targetParameters.end(); ++it)
            put(it.key(), textFromValue(it.value()), tr("package %1").arg(m_target->currentText()));
    }
    const QJsonObject own = m_parameters->object();
    for (auto it = own.begin(); it != own.end(); ++it)
        put(it.key(),
            textFromValue(it.value()),
            m_binding->isChecked() ? tr("binding") : tr("package"));
    put(QStringLiteral("lifecycleEvent"),
        QStringLiteral("CREATE | READ | UPDATE | DELETE | …"),
        tr("feed call"));
    put(QStringLiteral("triggerName"), QStringLiteral("/namespace/trigger"), tr("feed call"));
    put(QStringLiteral("authKey"), QStringLiteral("***"), tr("feed call"));
    m_merged->setRowCount(int(rows.size()));
    for (int i = 0; i < rows.size(); ++i) {
        m_merged->setItem(i, 0, new QTableWidgetItem(rows.at(i).key));
        m_merged->setItem(i, 1, new QTableWidgetItem(rows.at(i).value));
        m_merged->setItem(i, 2, new QTableWidgetItem(rows.at(i).from));
    }
}

void PackageEditor::fetch()
{
    const auto name = session()->client()->qualify(entity().name);
    session()->client()->getPackage(*name, this, [this](Result<Package> r) {
        if (!r) {
            failed(r.error());
            return;
        }
        m_package = *r;
        {
            QSignalBlocker a(m_binding), b(m_target), c(m_publish);
            (r->isBinding() ? m_binding : m_plain)->setChecked(true);
            m_target->setCurrentText(
                r->isBinding() ? u'/' + r->bindingNamespace + u'/' + r->bindingName : QString());
            m_publish->setChecked(r->publish);
        }
        m_parameters->setValue(r->parameters.toObject());
        m_annotations->setValue(r->annotations.toObject());
        modeChanged();
        loadTarget();
        loaded();
    });
}

QString PackageEditor::validationError() const
{
    if (!m_parameters->isValid())
        return tr("The parameters are not valid JSON: %1").arg(m_parameters->errorText());
    if (!m_annotations->isValid())
        return tr("The annotations are not valid JSON: %1").arg(m_annotations->errorText());
    if (m_binding->isChecked() && m_target->currentText().trimmed().isEmpty())
        return tr("A binding needs a target package, e.g. /whisk.system/alarms.");
    return {};
}

MessageBar *PackageEditor::fieldMessage(const WhiskError &error) const
{
    const QString text = error.whiskError.toLower();
    if (text.contains(QLatin1String("bind")))
        return m_targetMessage;
    if (text.contains(QLatin1String("parameter")))
        return m_parameters->messageBar();
    if (text.contains(QLatin1String("annotation")))
        return m_annotations->messageBar();
    return EntityEditor::fieldMessage(error);
}

void PackageEditor::send(const QualifiedName &name)
{
    Package p = m_package;
    p.name = name.name;
    p.version.clear();
    p.publish = m_publish->isChecked();
    p.parameters = KeyValueList::fromObject(m_parameters->object());
    p.annotations = KeyValueList::fromObject(m_annotations->object());
    if (m_binding->isChecked()) {
        const auto target = QualifiedName::parse(m_target->currentText().trimmed());
        if (!target) {
            WhiskError e;
            e.whiskError = QStringLiteral("binding");
            e.message = tr("'%1' is not a package name like /whisk.system/alarms.")
                            .arg(m_target->currentText());
            refused(e);
            return;
        }
        p.bindingNamespace = target->ns;
        p.bindingName = target->name;
    }
    session()->client()->putPackage(name, p, !isNew(), this, [this](Result<Package> r) {
        if (!r) {
            refused(r.error());
            return;
        }
        m_package = *r;
        succeeded(
            r->isBinding()
                ? tr("Saved binding %1 → /%2/%3.").arg(r->name, r->bindingNamespace, r->bindingName)
                : tr("Saved package %1.").arg(r->name));
    });
}

} // namespace Feedscope::Ui
