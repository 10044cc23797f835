// SPDX-License-Identifier: GPL-3.0-or-later
#include "designerreviewpage.h"

#include "common/accessible.h"
#include "common/theme.h"
#include "designerinputspage.h"
#include "manifest.h"

#include <QApplication>
#include <QClipboard>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonDocument>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QTabWidget>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace Feedscope::Ui {

namespace {

QPlainTextEdit *codeView(QWidget *parent, const QString &objectName, const QString &spoken)
{
    auto *view = new QPlainTextEdit(parent);
    nameControl(view, objectName, spoken);
    view->setReadOnly(true);
    view->setFont(Theme::monospace());
    view->setLineWrapMode(QPlainTextEdit::NoWrap);
    return view;
}

// What one entity is, in a few words: the review's third column.
QString whatItIs(const PlannedEntity &e)
{
    switch (e.kind) {
    case PlannedEntity::Kind::Package: return QObject::tr("package with the feed's settings");
    case PlannedEntity::Kind::Binding:
        return QObject::tr("binding of /%1/%2")
            .arg(e.package().bindingNamespace, e.package().bindingName);
    case PlannedEntity::Kind::Action: {
        if (e.isSequence())
            return QObject::tr("sequence");
        const Action a = e.action();
        return a.isFeed() ? QObject::tr("feed action (%1)").arg(a.kind)
                          : QObject::tr("action (%1)").arg(a.kind);
    }
    case PlannedEntity::Kind::Trigger:
        return e.hasFeed()
                   ? QObject::tr("trigger fed by %1 with %2")
                         .arg(e.feed,
                              QString::fromUtf8(
                                  QJsonDocument(e.feedParameters).toJson(QJsonDocument::Compact)))
                   : QObject::tr("trigger");
    case PlannedEntity::Kind::Rule:
        return QObject::tr("rule %1 → %2").arg(e.rule().trigger, e.rule().action);
    }
    return {};
}

} // namespace

DesignerReviewPage::DesignerReviewPage(DesignerInputsPage *inputs, QWidget *parent)
    : QWizardPage(parent)
    , m_inputs(inputs)
    , m_tabs(new QTabWidget(this))
    , m_entities(new QTreeWidget(this))
    , m_requests(codeView(this, QStringLiteral("designerRequests"), tr("HTTP requests in order")))
    , m_wsk(codeView(this, QStringLiteral("designerWsk"), tr("Equivalent wsk commands")))
    , m_manifest(codeView(this, QStringLiteral("designerManifest"), tr("manifest.yaml")))
    , m_notes(new QLabel(this))
{
    setObjectName(QStringLiteral("designerReviewPage"));
    setTitle(tr("Review what will be deployed"));
    setSubTitle(tr("Nothing has been sent yet. Deploy creates these entities in this order; a "
                   "failure undoes what was done."));
    setCommitPage(true);
    setButtonText(QWizard::CommitButton, tr("&Deploy"));

    nameControl(m_tabs, QStringLiteral("designerReviewTabs"), tr("Review"));
    nameControl(m_entities, QStringLiteral("designerEntities"), tr("Entities to create"));
    m_entities->setHeaderLabels({tr("Kind"), tr("Name"), tr("What")});
    m_entities->setRootIsDecorated(false);
    m_entities->header()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
    m_entities->header()->setSectionResizeMode(1, QHeaderView::ResizeToContents);
    m_tabs->addTab(m_entities, tr("Entities"));
    m_tabs->addTab(m_requests, tr("HTTP requests"));
    m_tabs->addTab(m_wsk, tr("wsk commands"));
    m_tabs->addTab(m_manifest, tr("manifest.yaml"));

    nameControl(m_notes, QStringLiteral("designerNotes"), tr("Notes on the design"));
    m_notes->setWordWrap(true);
    m_notes->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto *copy = new QPushButton(tr("&Copy this tab"), this);
    nameControl(copy, QStringLiteral("designerCopy"), tr("Copy the shown tab"));
    auto *save = new QPushButton(tr("Save as &project…"), this);
    nameControl(save, QStringLiteral("designerSaveProject"), tr("Save the manifest and code"));
    save->setToolTip(tr("Writes manifest.yaml and the action code into a directory, for "
                        "wskdeploy or File → Import manifest"));
    connect(copy, &QPushButton::clicked, this, &DesignerReviewPage::copyCurrent);
    connect(save, &QPushButton::clicked, this, &DesignerReviewPage::saveProject);

    auto *buttons = new QHBoxLayout;
    buttons->addWidget(copy);
    buttons->addWidget(save);
    buttons->addStretch(1);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_tabs, 1);
    layout->addLayout(buttons);
    layout->addWidget(m_notes);
}

void DesignerReviewPage::initializePage()
{
    const Result<Blueprint> bp = m_inputs->blueprint();
    if (!bp)
        return; // the inputs page keeps Next disabled while this can happen
    m_blueprint = *bp;
    m_plan = DeployPlan::fromBlueprint(m_blueprint);

    m_entities->clear();
    for (const DeployStep &step : m_plan.steps) {
        const PlannedEntity &e = step.entity;
        auto *item = new QTreeWidgetItem(m_entities, {entityKindName(e.kind), e.name, whatItIs(e)});
        item->setToolTip(2, step.description);
    }
    QStringList requests;
    int n = 0;
    for (const PlannedRequest &r : m_plan.requests())
        requests.append(QStringLiteral("# %1. %2\n%3").arg(++n).arg(r.description, r.text()));
    m_requests->setPlainText(requests.join(QStringLiteral("\n\n")));
    m_wsk->setPlainText(m_plan.wskScript());
    m_manifest->setPlainText(Manifest::exportYaml(m_blueprint, Manifest::CodeMode::Inline));
    m_notes->setText(m_blueprint.notes.join(QStringLiteral("\n")));
    m_notes->setVisible(!m_blueprint.notes.isEmpty());
}

void DesignerReviewPage::copyCurrent()
{
    QString text;
    if (m_tabs->currentWidget() == m_entities) {
        QStringList lines;
        for (int i = 0; i < m_entities->topLevelItemCount(); ++i) {
            const QTreeWidgetItem *item = m_entities->topLevelItem(i);
            lines.append(item->text(0) + u'\t' + item->text(1) + u'\t' + item->text(2));
        }
        text = lines.join(u'\n');
    } else if (auto *view = qobject_cast<QPlainTextEdit *>(m_tabs->currentWidget())) {
        text = view->toPlainText();
    }
    QApplication::clipboard()->setText(text);
}

void DesignerReviewPage::saveProject()
{
    // Asynchronous (open + signal): no nested event loop (STYLE.md).
    auto *dialog = new QFileDialog(this, tr("Directory for the project"));
    dialog->setFileMode(QFileDialog::Directory);
    dialog->setOption(QFileDialog::ShowDirsOnly);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QFileDialog::fileSelected, this, [this](const QString &directory) {
        const auto written = Manifest::exportToDirectory(
            m_blueprint.entities, m_blueprint.inputs.name, directory, m_blueprint.inputs.ns);
        m_notes->setVisible(true);
        m_notes->setText(written ? tr("Saved %1 files in %2.").arg(written->size()).arg(directory)
                                 : tr("Could not save: %1").arg(written.error().message));
    });
    dialog->open();
}

} // namespace Feedscope::Ui
