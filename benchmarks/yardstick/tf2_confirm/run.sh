#!/bin/sh
# Re-run the TF2 yardstick confirmations: export each row's buggy and fixed commit to a scratch
# directory and run its check on both. Needs TensorFlow 2.21 with tf_keras, and the snapshots
# of fetch_list_tf2.txt under MIRROR (the `fetch` tool's snapshot folder; required).
# usage: run.sh [SCRATCH]     (SCRATCH defaults to a new temporary directory)
set -e
HERE=$(cd "$(dirname "$0")" && pwd)
MIRROR=${MIRROR:?set MIRROR to the folder of git snapshots (OWNER+NAME/repo)}
PY=${PY:-python}
OUT=${1:-$(mktemp -d)}

gitdir() { g="$MIRROR/$(echo "$1" | tr / +)/repo"; [ -d "$g/.git" ] && g="$g/.git"; echo "$g"; }
# export REPO COMMIT DEST: code files only (large data blobs may be missing from a snapshot)
export_tree() {
    g=$(gitdir "$1"); mkdir -p "$3"
    git --git-dir="$g" ls-tree -r --name-only "$2" | grep -E '\.py$' > "$3.list"
    git --git-dir="$g" archive "$2" $(cat "$3.list") | tar -x -C "$3"
}
show() { g=$(gitdir "$1"); mkdir -p "$(dirname "$4")"; git --git-dir="$g" show "$2:$3" > "$4"; }
both() {  # both ID REPO FIX FILE-OR-DOT: export bug (FIX^) and fix trees, then run CMD with {} = tree
    id=$1; repo=$2; fix=$3; shift 3
    for side in before after; do
        c=$fix; [ $side = before ] && c="$fix^"
        export_tree "$repo" "$c" "$OUT/$id/$side"
        echo "-- $id $side"; "$PY" "$@" "$OUT/$id/$side" 2>&1 | grep -E "^(variables|tf.function|kernels|critic|RAISES|both|None|dense_1|call [12]|fit|combined|LayerNorm|optimizer|train_step|InceptionBlock|ResnetBlock|Classifier|TransformerBlock|train: OK|train RAISES|IDEC clustering|MlpAlae|VGG_16|SAINTPretrainer|train_vars|networks|discrepancy)" || true
    done
}
layer() {  # layer ID REPO FIX FILE CLASS KWARGS SHAPE: one file, loaded as a module
    id=$1; repo=$2; fix=$3; f=$4; shift 4
    for side in before after; do
        c=$fix; [ $side = before ] && c="$fix^"
        show "$repo" "$c" "$f" "$OUT/$id/$side.py"
        echo "-- $id $side"; "$PY" "$HERE/layer.py" "$OUT/$id/$side.py" "$@" 2>&1 | grep -E "^(variables|tf.function)" || true
    done
}
both tf2-basiccnn-densenet calmiLovesAI/Basic_CNNs_TensorFlow2 59d5cdb "$HERE/basiccnn_densenet.py"
both tf2-basiccnn-groupconv calmiLovesAI/Basic_CNNs_TensorFlow2 f333d85 "$HERE/basiccnn_groupconv.py"
both tf2-scrabblegan-scalar Nikolai10/scrabble-gan 00b234a "$HERE/scrabblegan_nonlocal.py"
both tf2-scrabblegan-conv Nikolai10/scrabble-gan e6f60ac "$HERE/scrabblegan_nonlocal.py"
both tf2-tf2rl-sacae-encoder keiohta/tf2rl 82d9eec "$HERE/tf2rl_sacae.py"
both tf2-tf2rl-mpc-optimizer keiohta/tf2rl 489e8fd "$HERE/tf2rl_mpc.py"
both tf2-tf2gan-dense thisisiron/TF2-GAN ae087d2 "$HERE/tf2gan_dense.py"
both tf2-saiwaiyanyu-crf-transitions saiwaiyanyu/bi-lstm-crf-ner-tf2.0 da20d43 "$HERE/crf_transitions.py"
layer tf2-kerascv-vit-patch keras-team/keras-cv de3993fe6 keras_cv/layers/vit_layers.py PatchingAndEmbedding '{"project_dim": 8, "patch_size": 4}' '[2, 16, 16, 3]'
layer tf2-kerascv-fusedmbconv keras-team/keras-cv 9b3b99871 keras_cv/layers/fusedmbconv.py FusedMBConvBlock '{"input_filters": 8, "output_filters": 8, "expand_ratio": 2, "se_ratio": 0.25}' '[2, 8, 8, 8]'
layer tf2-kerascv-mbconv keras-team/keras-cv 9b3b99871 keras_cv/layers/mbconv.py MBConvBlock '{"input_filters": 8, "output_filters": 8, "expand_ratio": 2, "se_ratio": 0.25}' '[2, 8, 8, 8]'
# the fix commit itself fails on a typo; the after side is the file two follow-up fixes later
show keras-team/keras-cv 9821c3259^ keras_cv/layers/transformer_encoder.py "$OUT/tenc/before.py"
show keras-team/keras-cv 66f4f6dde keras_cv/layers/transformer_encoder.py "$OUT/tenc/after.py"
for side in before after; do echo "-- tf2-kerascv-transformer-encoder $side"; "$PY" "$HERE/layer.py" "$OUT/tenc/$side.py" TransformerEncoder '{"project_dim": 8, "intermediate_dim": 16, "num_heads": 2}' '[2, 5, 8]' 2>&1 | grep -E "^(variables|tf.function)" || true; done
for side in before after; do
    c=6a129ce9f; [ $side = before ] && c="6a129ce9f^"
    show keras-team/keras-cv "$c" keras_cv/layers/transformer_encoder.py "$OUT/ln/$side.py"
    echo "-- tf2-kerascv-shared-layernorm $side"; "$PY" "$HERE/kerascv_layernorm.py" "$OUT/ln/$side.py" 2>&1 | grep "^LayerNorm" || true
done
layer tf2-kerasattention-dense philipperemy/keras-attention 08095bf attention/attention.py Attention '{"units": 8}' '[2, 5, 6]'
layer tf2-hypergraph-conv GouravWadhwa/Hypergraphs-Image-Inpainting 6b401f6 models/hypergraph_layer.py HypergraphConv '{"in_features": 4, "out_features": 4, "features_height": 4, "features_width": 4, "edges": 3, "filters": 4}' '[2, 4, 4, 4]'
for side in before after; do
    c=af911a4; [ $side = before ] && c="af911a4^"
    show bryanlimy/tf2-transformer-chatbot "$c" main.py "$OUT/chat/$side.py"
    echo "-- tf2-chatbot-metric $side"; "$PY" "$HERE/chatbot_metric.py" "$OUT/chat/$side.py" 2>&1 | grep "^fit" || true
done
for side in before after; do
    c=ffadf08a; [ $side = before ] && c="ffadf08a^"
    show stellargraph/stellargraph "$c" stellargraph/layer/link_inference.py "$OUT/link/$side.py"
done
# the fix removed output_dim from LinkEmbedding (the Dense moved to the link_inference() builder)
echo "-- tf2-stellargraph-linkembedding before"; "$PY" "$HERE/layer.py" "$OUT/link/before.py" LinkEmbedding '{"output_dim": 2, "method": "l1"}' '[3, 2, 4]' 2>&1 | grep -E "^(variables|tf.function)" || true
echo "-- tf2-stellargraph-linkembedding after"; "$PY" "$HERE/layer.py" "$OUT/link/after.py" LinkEmbedding '{"method": "l1"}' '[3, 2, 4]' 2>&1 | grep -E "^(variables|tf.function)" || true
# DeepCTR: two fix commits, each checked on the package exported from the commit and its parent
for fix in b787cdf 82efc6f; do
    for side in before after; do
        c=$fix; [ $side = before ] && c="$fix^"
        export_tree shenweichen/DeepCTR "$c" "$OUT/deepctr-$fix/$side"
        echo "-- tf2-deepctr ($fix) $side"; "$PY" "$HERE/deepctr_layers.py" "$OUT/deepctr-$fix/$side" 2>&1 | grep -E "^(DNN|LocalActivationUnit|FGCNNLayer|AFMLayer|MLP)" || true
    done
done
# keras-contrib: the class was renamed by the fix (ReLUs -> SineReLU)
for side in before after; do
    c=40d9f47; cls=SineReLU; [ $side = before ] && { c="40d9f47^"; cls=ReLUs; }
    show keras-team/keras-contrib "$c" keras_contrib/layers/advanced_activations.py "$OUT/kc/$side.py"
    echo "-- tf2-kerascontrib-relus-variable $side"; "$PY" "$HERE/kerascontrib_activation.py" "$OUT/kc/$side.py" $cls 2>&1 | grep -E "^(variables|tf.function|fit)" || true
done
# tfts (LongxingTan/Time-series-prediction): the package exported from each commit and its parent
for pair in "7639e28 head tf2-tfts-classification-head" "75dbfb3 decoder tf2-tfts-unet-decoder"; do
    set -- $pair
    for side in before after; do
        c=$1; [ $side = before ] && c="$1^"
        export_tree LongxingTan/Time-series-prediction "$c" "$OUT/$3/$side"
        echo "-- $3 $side"; "$PY" "$HERE/tfts_layers.py" "$OUT/$3/$side" $2 2>&1 | grep -E "^(variables|tf.function)" || true
    done
done
# TransformerX (session 6): a Dense made in AddNorm.call; a weight stored on self in
# DotProductAttention.call under a setting only __init__ sets (`if self.scaled:`)
both tf2-transformerx-addnorm-dense tensorops/TransformerX 14c068d "$HERE/transformerx_layers.py" addnorm
both tf2-transformerx-dpa-scale tensorops/TransformerX bee04d5 "$HERE/transformerx_layers.py" dpa
# pyod (session 7): one Adam compiled into ALAD's decoder and encoder, each stepped through
# `model.optimizer`; the fix takes the legacy Adam, which makes slots for any variable it meets
both tf2-pyod-alad-shared-adam yzhao062/pyod 795c741 "$HERE/pyod_alad.py"
# rfstudies (session 7, s7mine2): one InceptionSubBlock applied as four blocks; one
# BatchNormalization on a residual block's main path and its shortcut (one fix commit)
both tf2-rfstudies-shared-layers cobermai/rfstudies e47b027 "$HERE/rfstudies_classifiers.py"
# NLP_Tensorflow2.0 (session 7, s7mine2): one hidden Dense applied twice in Classifier.call
both tf2-nlptf2-charcnn-classifier-dense modudeepnlp/NLP_Tensorflow2.0 621eac5 "$HERE/charcnn_classifier.py"
# forex-predicter (session 7, s7mine2): TransformerBlock reuses its input projections as its
# feed-forward layers; the file is loaded alone (its Keras 2 imports pointed at tf_keras)
for side in before after; do
    c=812d0d2; [ $side = before ] && c="812d0d2^"
    show Franzelfx/forex-predicter "$c" src/layers.py "$OUT/forex/$side/src/layers.py"
    echo "-- tf2-forex-transformer-ffn-dense $side"; "$PY" "$HERE/forex_transformer_block.py" "$OUT/forex/$side" 2>&1 | grep "^TransformerBlock" || true
done
# Keras-GAN pix2pix (session 7, s7mine2): the combined model compiled while the discriminator is
# trainable; the commit is eriklindernoren/Keras-GAN's, read from the fork lpupp/Keras-GAN
for side in before after; do
    c=f84b58c; [ $side = before ] && c="f84b58c^"
    show lpupp/Keras-GAN "$c" pix2pix/pix2pix.py "$OUT/pix2pix/$side/pix2pix/pix2pix.py"
    echo "-- tf2-kerasgan-pix2pix-unfrozen-d $side"; "$PY" "$HERE/kerasgan_pix2pix.py" "$OUT/pix2pix/$side" 2>&1 | grep "^combined" || true
done
# RLs (session 8, s8mine2): one Keras Adam stepped on DDPG's critic and actor, and on SAC's
# critics, actor and log_alpha (the methods' sources on stub agents)
both tf2-rls-ddpg-shared-adam StepNeverStop/RLs 705595e "$HERE/rls_ddpg.py"
both tf2-rls-sac-shared-adam StepNeverStop/RLs 1ff6be9 "$HERE/rls_sac.py"
# TimeSeriesDeepClustering (session 8): IDEC's pre-training optimizer reused for the clustering head
both tf2-tsdc-idec-pretrain-adam blafabregue/TimeSeriesDeepClustering 208fac0 "$HERE/tsdc_idec.py"
# GSOC (session 8): the ESRGAN code reads config/config.yaml, so it is exported beside the code.
# Two fixes took two commits each, so each check names its own before and after commits.
gsoc() {  # gsoc ID BEFORE AFTER SCRIPT PATTERN
    for side in before after; do
        c=$3; [ $side = before ] && c=$2
        export_tree captain-pool/GSOC "$c" "$OUT/$1/$side"
        show captain-pool/GSOC "$c" E2_ESRGAN/config/config.yaml "$OUT/$1/$side/E2_ESRGAN/config/config.yaml"
        echo "-- $1 $side"; "$PY" "$HERE/$4" "$OUT/$1/$side" 2>&1 | grep -E "$5" || true
    done
}
gsoc tf2-gsoc-rdb-conv-lambda 1333f6c f3477c6 gsoc_rdb.py "^(variables|RDB|tf.function)"
gsoc tf2-gsoc-vgg-shared-bn 2d0cf92 582c18b gsoc_vgg.py "^VGGArch"
gsoc tf2-gsoc-distill-disc-grads 582c18b 234c8cc gsoc_distill_step.py "^distillation"
# session 11 (s11mine)
both tf2-biggan-cbn-flag-never-set daigo0927/biggan-tensorflow d03385d "$HERE/biggan_cbn.py"
both tf2-deepxde-deeponet-bias lululxvi/deepxde 8cc7764 "$HERE/deepxde_deeponet.py"
# session 16 (s16mine): TD3's twin critics stepped by one Keras Adam (tf_keras; KERAS3=1 for Keras 3)
both tf2-td3-critics-shared-adam CUN-bjy/gym-td3-keras 956a932 "$HERE/td3_critic.py"
# cosmopower 641c781 (session 16): an Adam made once as a constructor default, shared by every emulator
both tf2-cosmopower-nn-default-adam alessiospuriomancini/cosmopower 641c781 "$HERE/cosmopower_default_adam.py" NN
both tf2-cosmopower-pcaplusnn-default-adam alessiospuriomancini/cosmopower 641c781 "$HERE/cosmopower_default_adam.py" PCAplusNN
# session 17 (s17mine2)
both tf2-bigbigan-encoder-grads LEGO999/BigBiGAN-TensorFlow2.0 fe706c3 "$HERE/bigbigan_encoder_grads.py"
both tf2-alae-mlp-shared-adam revsic/tf-alae 7b2b39a "$HERE/alae_sepopt.py"
both tf2-iced-vgg-freeze-after-compile IcedDoggie/Micro-Expression-with-Deep-Learning 0717f86 "$HERE/iced_freeze_after_compile.py"
both tf2-teras-saint-pretrainer-heads KhawajaAbaid/teras 7f4080b "$HERE/teras_saint_pretrainer.py"
# session 20 (s20mine2)
both tf2-tftts-seq2seq-train-vars TensorSpeech/TensorFlowTTS 1a64f4e "$HERE/tftts_train_vars.py"
both tf2-delta-settrainable-callback nasa/delta 9ba72e0 "$HERE/delta_settrainable.py"
both tf2-adapt-mdd-task-as-discriminator adapt-python/adapt 31cc3fb "$HERE/adapt_task_as_discriminator.py" mdd
both tf2-adapt-mcd-task-as-discriminator adapt-python/adapt 31cc3fb "$HERE/adapt_task_as_discriminator.py" mcd
# session 25 (s25y1)
# understanding-unets 8c73ce2: the fix commit's new __init__ lacks super().__init__() (added the same day by 14bde54); the after side is 14bde54's file
for side in before after; do
    c=14bde54; [ $side = before ] && c="8c73ce2^"
    show zaccharieramzi/understanding-unets "$c" learning_wavelets/keras_utils/pooling.py "$OUT/uunets/$side.py"
    echo "-- tf2-understandingunets-bior-variable $side"; "$PY" "$HERE/layer.py" "$OUT/uunets/$side.py" BiorUpSampling '{}' '[2, 8, 8, 1]' 2>&1 | grep -E "^(variables|tf.function)" || true
done
both tf2-ddsp-daglayer-untracked-modules magenta/ddsp 5a06bce "$HERE/ddsp_daglayer.py"
both tf2-pokegan-frozen-disc-grads whitgroves/pokegan-gsc 31d00df "$HERE/pokegan_frozen_disc.py"
both tf2-wgan-shared-adam breadbread1984/WGAN-tf2 fdfbc78 "$HERE/wgan_shared_adam.py"
# CycleGAN-tf2 ebd855c: the fix commit's train.py does not parse and its new losses raise on their labels (fixed by
# 03f6bba, dd260b7, b8f075b the same day); the after side is b8f075b's tree
for side in before after; do
    c=b8f075b; [ $side = before ] && c="ebd855c^"
    export_tree breadbread1984/CycleGAN-tf2 "$c" "$OUT/cyclegan/$side"
    echo "-- tf2-cyclegan-shared-adam $side"; "$PY" "$HERE/cyclegan_shared_adam.py" "$OUT/cyclegan/$side" 2>&1 | grep -E "^train" || true
done
both tf2-kynk-dense-weight-scaling kynk94/TF2-Image-Generation 24a1741 "$HERE/kynk_weight_scaling.py" dense
both tf2-kynk-embedding-weight-scaling kynk94/TF2-Image-Generation 24a1741 "$HERE/kynk_weight_scaling.py" embedding
# session 25 (s25y2)
both tf2-kerastuner-shared-optimizer keras-team/keras-tuner e2ced41 "$HERE/kerastuner_shared_optimizer.py"
both tf2-alibidetect-outlierae-default-adam SeldonIO/alibi-detect da95dfbd "$HERE/alibidetect_default_adam.py"
both tf2-deepchem-gan-shared-optimizer deepchem/deepchem 22885eb74 "$HERE/deepchem_gan_optimizer.py"
both tf2-alibi-cfrl-update-tf-function SeldonIO/alibi d801de1942 "$HERE/alibi_cfrl_refit.py"
both tf2-neurite-perlin-kzeros adalca/neurite df34cbb "$HERE/neurite_perlin_vol.py"
# session 25 (s25y3)
both tf2-deepctrtf2-mlp-embedding-config ZermZhang/DeepCTR-tf2 8c403cf3 "$HERE/deepctrtf2_mlp.py"
both tf2-deepctrtf2-seblock-dense-mid ZermZhang/DeepCTR-tf2 ebc19ff1 "$HERE/deepctrtf2_seblock.py"
both tf2-ronenyolo-do-iou-variable ronen-halevy/yolo-v3-tf2 b70cf55a "$HERE/ronen_yolo_do_iou.py"
both tf2-kgcnnunlocked-dattfp-residual-dense osmoai/kgcnn-keras-unlocked d39811fa "$HERE/kgcnn_unlocked_dlayers.py" dattfp
both tf2-kgcnnunlocked-dgat-residual-dense osmoai/kgcnn-keras-unlocked d39811fa "$HERE/kgcnn_unlocked_dlayers.py" dgat
both tf2-universaltransformer-decoder-mha-reused akanyaani/universal-transformer-tf2.0 c1b93485 "$HERE/ut_decoder_mha.py"
both tf2-predrnn-split-weights beekill95/predrnn_tf 9fd7577 "$HERE/predrnn_split_weights.py"
for side in before after; do
    c=897ede7; [ $side = before ] && c="897ede7^"
    show victorialin898/deepfried "$c" model.py "$OUT/deepfried/$side/model.py"
    echo "-- tf2-deepfried-encoder-shared-bn $side"; "$PY" "$HERE/deepfried_encoder_bn.py" "$OUT/deepfried/$side" 2>&1 | grep -E "^Encoder" || true
done
both tf2-coordconv-kones-call titu1994/keras-coordconv 6dfb039 "$HERE/coordconv_ones.py"
both tf2-attentionkeras-zeros-states thushv89/attention_keras ae4b7ce "$HERE/attentionkeras_zeros.py"
both tf2-deepctr-transformer-positional-variable shenweichen/DeepCTR d0da3eb "$HERE/deepctr_positional.py"
# session 26 (s26d1)
both tf2-tfts-classhead-intermediate-dense LongxingTan/Time-series-prediction 9922d2fd77 "$HERE/pkg_layer.py" tfts.tasks.auto_task ClassificationHead '{"num_labels": 3, "dense_units": [8, 4]}' '[2, 5, 6]'
both tf2-alibidetect-rbf-sigma-variable-per-call SeldonIO/alibi-detect 98ad0db705 "$HERE/alibidetect_rbf_sigma.py"
both tf2-neurite-meanstream-kones adalca/neurite 7384808686 "$HERE/neurite_meanstream.py"
both tf2-facenet-arcface-layer-not-in-list DequanZhu/FaceNet-and-FaceLoss-collections-tensorflow2.0 d866f8fbc9 "$HERE/facenet_arcface_list.py"
both tf2-alibidetect-rbf-keras3-untracked-sigma SeldonIO/alibi-detect a4d4a5bd "$HERE/alibidetect_k3_rbf.py"
both tf2-alibidetect-spotdiff-keras3-untracked-diffs SeldonIO/alibi-detect 728db4f9 "$HERE/alibidetect_k3_spotdiff.py"
both tf2-stellargraph-gat-saliency-kones stellargraph/stellargraph 7a14c5f396 "$HERE/stellargraph_gat_saliency.py"
both tf2-stellargraph-hinsage-kzeros stellargraph/stellargraph 658685e9a8 "$HERE/stellargraph_hinsage_kzeros.py"
both tf2-stellargraph-attri2vec-dense-per-apply stellargraph/stellargraph cdcde873f7 "$HERE/stellargraph_attri2vec.py"
both tf2-stellargraph-complex-embedding-per-apply stellargraph/stellargraph 7a14497d "$HERE/stellargraph_kg_embeddings.py"  # prints the DistMult row too
both tf2-stellargraph-wys-layers-per-build stellargraph/stellargraph 2641535b "$HERE/stellargraph_wys_build.py"
both tf2-stellargraph-node2vec-embedding-per-apply stellargraph/stellargraph 7613d9c1b6 "$HERE/stellargraph_node2vec.py"
both tf2-dltechniques-yolo12-seghead-upsample-per-call NikolasMarkou/dl_techniques bf870f0af0 "$HERE/dltech_yolo12_seghead.py"
# session 26 (s26d2)
both tf2-maddpg-critics-shared-adam iminders/maddpg 5b09633edd "$HERE/maddpg_shared_adam.py"
both tf2-maddpg-actor-tfvariable-in-tape iminders/maddpg 7ad4ec1 "$HERE/maddpg_actor_variable.py"
# the project has file names with spaces, which export_tree splits: take the one file the check reads
for side in before after; do
    c=4b18fb3761; [ $side = before ] && c="4b18fb3761^"
    show rickstaa/LAC-TF2-TORCH-translation "$c" LAC_CLEAN-tf2-eager-improved/lac.py "$OUT/lac/$side/LAC_CLEAN-tf2-eager-improved/lac.py"
    echo "-- tf2-lac-actor-lyapunov-outside-tape $side"; "$PY" "$HERE/lac_lyapunov_tape.py" "$OUT/lac/$side" 2>&1 | grep -E "^train" || true
done
both tf2-rltf2-ddpg-actor-bn-call uchendui/rl-tf2 fc8f6dc56d "$HERE/rltf2_ddpg_bn.py" actor
both tf2-rltf2-ddpg-critic-bn-call uchendui/rl-tf2 fc8f6dc56d "$HERE/rltf2_ddpg_bn.py" critic
both tf2-progan-tf-function-optimizer-arg DCtheTall/tf-keras-progressive-gan 5b439580ba "$HERE/progan_optimizer_arg.py"
both tf2-adgsac-qfuncs-shared-adam ADGEfficiency/soft-actor-critic 270899f "$HERE/adgsac_qfuncs.py"
both tf2-adgsac-qfuncs-last-online-only ADGEfficiency/soft-actor-critic 8cacc37 "$HERE/adgsac_qfuncs.py"
both tf2-pearl-context-encoder-kl-only ainklain/pearl_tf2 a24c6e2e52 "$HERE/pearl_context_encoder.py"
